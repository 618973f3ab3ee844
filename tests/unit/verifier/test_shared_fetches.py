"""SharedFetches: concurrent fetches of one URL make one request, a failure is answered from memory for a while."""

from __future__ import annotations

import asyncio

import pytest

from rexvet_credentials.errors import FetchError
from rexvet_credentials.ports import FetchedDocument
from rexvet_verifier.adapters.shared_fetches import SharedFetches

pytestmark = pytest.mark.unit

URL = "https://status.example/lists/1"


class GatedFetcher:
    """Our DocumentFetcher port: counts requests, answers once `gate` opens, fails for URLs in `failing`."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.gate = asyncio.Event()
        self.failing: set[str] = set()

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        self.requests.append(url)
        await self.gate.wait()
        if url in self.failing:
            raise FetchError(f"cannot resolve host for {url}", code="fetch_dns_failed")
        return FetchedDocument(url, b"{}", "application/json")


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_concurrent_fetches_of_one_url_share_one_request() -> None:
    inner = GatedFetcher()
    shared = SharedFetches(inner)
    waiting = [asyncio.create_task(shared.fetch(URL)) for _ in range(20)]
    await asyncio.sleep(0)
    inner.gate.set()
    results = await asyncio.gather(*waiting)
    assert inner.requests == [URL]
    assert {r.content for r in results} == {b"{}"}
    await shared.fetch(URL)  # done fetches are not kept: caching successes is the status and key caches' job
    assert inner.requests == [URL, URL]


async def test_a_caller_giving_up_does_not_cancel_the_others() -> None:
    inner = GatedFetcher()
    shared = SharedFetches(inner)
    impatient = asyncio.create_task(shared.fetch(URL))
    patient = asyncio.create_task(shared.fetch(URL))
    await asyncio.sleep(0)
    impatient.cancel()
    inner.gate.set()
    assert (await patient).url == URL
    assert inner.requests == [URL]


async def test_a_failure_is_remembered_until_it_expires_or_is_forgotten() -> None:
    inner, ticks = GatedFetcher(), Ticks()
    inner.gate.set()
    inner.failing.add(URL)
    shared = SharedFetches(inner, failure_seconds=30, monotonic=ticks)
    for _ in range(3):
        with pytest.raises(FetchError) as raised:
            await shared.fetch(URL)
        assert raised.value.code == "fetch_dns_failed"
    assert inner.requests == [URL]

    ticks.now = 31.0
    with pytest.raises(FetchError):
        await shared.fetch(URL)
    assert inner.requests == [URL, URL]

    inner.failing.clear()
    with pytest.raises(FetchError):
        await shared.fetch(URL)  # still remembered
    shared.forget(URL)
    assert (await shared.fetch(URL)).url == URL
    assert inner.requests == [URL, URL, URL]
