"""ByteBoundedCache: what anonymous callers send cannot make the verification cache hold more than its byte budget."""

from __future__ import annotations

import pytest

from rexvet_credentials.document_loader import DEFAULT_LOADER
from rexvet_credentials.prepare import prepare
from rexvet_verifier.adapters.bounded_cache import ByteBoundedCache
from rexvet_verifier.bootstrap import VerifierContext

from .credentials import signed
from .harness import Service
from .test_large_credentials import large_credential

pytestmark = pytest.mark.unit

PREPARED = prepare(b"{}", DEFAULT_LOADER)


def test_an_entry_over_the_entry_limit_is_not_kept() -> None:
    cache = ByteBoundedCache(max_entry_bytes=100, max_total_bytes=1000)
    cache.put(b"x" * 101, PREPARED)
    assert cache.get(b"x" * 101) is None and len(cache) == 0
    cache.put(b"y" * 100, PREPARED)
    assert cache.get(b"y" * 100) is PREPARED and cache.input_bytes == 100


def test_the_total_is_bounded_least_recently_used_out_first() -> None:
    cache = ByteBoundedCache(max_entry_bytes=100, max_total_bytes=250)
    a, b, c = b"a" * 100, b"b" * 100, b"c" * 100
    cache.put(a, PREPARED)
    cache.put(b, PREPARED)
    assert cache.get(a) is PREPARED  # a is now the most recently used
    cache.put(c, PREPARED)
    assert cache.get(b) is None and cache.get(a) is PREPARED and cache.get(c) is PREPARED
    assert cache.input_bytes == 200 and len(cache) == 2
    cache.put(a, PREPARED)  # already there: counted once
    assert cache.input_bytes == 200


async def test_the_service_verifies_large_credentials_without_keeping_them(service: Service) -> None:
    context = service.app.state.runtime.context
    assert isinstance(context, VerifierContext)
    cache = context.verifier.cache
    assert isinstance(cache, ByteBoundedCache)
    credential = large_credential()
    for _ in range(2):
        assert (await service.verify_json(credential))["outcome"] == "verified"
    assert len(cache) == 0  # prepared for each request in a worker thread, never retained
    assert (await service.verify_json(signed()))["outcome"] == "verified"
    assert len(cache) == 1 and 0 < cache.input_bytes < 64 * 1024  # a credential of usual size is kept
