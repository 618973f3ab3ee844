"""Large credentials are prepared (parsed, JSON-LD, canonical hashes) in a worker thread, not on the event loop."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from rexvet_credentials.baking import bake_svg
from rexvet_credentials.prepare import prepare
from rexvet_verifier.application import verification

from .credentials import ob3_credential, signed
from .harness import LIMIT, Service, checks_by_id

pytestmark = pytest.mark.unit

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'


def large_credential() -> dict[str, Any]:
    evidence = [
        {"id": f"https://evidence.rexvet.example/{i}", "type": ["Evidence"], "name": f"Hosted guest {i}"}
        for i in range(2000)
    ]
    credential = signed(ob3_credential(evidence=evidence))
    size = len(json.dumps(credential, separators=(",", ":")))  # as /v1/verify re-serialises it
    assert verification.OFF_LOOP_BYTES < size < LIMIT, size
    return credential


@pytest.fixture
def preparing_threads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.get_ident())
        return prepare(*args, **kwargs)

    monkeypatch.setattr(verification, "prepare", recording)
    return seen


async def test_a_large_json_credential_is_prepared_off_the_loop(service: Service, preparing_threads: list[int]) -> None:
    credential = large_credential()
    report = await service.verify_json(credential)
    assert report["outcome"] == "verified", report
    assert preparing_threads and threading.get_ident() not in preparing_threads

    credential["evidence"][700]["name"] = "Changed after signing"
    tampered = await service.verify_json(credential)
    assert checks_by_id(tampered)["proof"]["code"] == "signature_invalid"


async def test_a_large_baked_credential_is_prepared_off_the_loop(
    service: Service, preparing_threads: list[int]
) -> None:
    image = bake_svg(SVG, json.dumps(large_credential()))
    response = await service.client.post("/v1/verify", content=image, headers={"Content-Type": "image/svg+xml"})
    assert response.json()["outcome"] == "verified"
    assert preparing_threads and threading.get_ident() not in preparing_threads


async def test_a_small_credential_stays_on_the_loop(service: Service, preparing_threads: list[int]) -> None:
    assert (await service.verify_json(signed()))["outcome"] == "verified"
    assert preparing_threads == []
