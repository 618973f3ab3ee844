"""The blob store contract (ports/blob_store.py). An adapter's module subclasses `BlobStoreContract` and overrides
`make_blob_store` (a factory of stores reaching the same durable storage) and `fetch_url` (how a user's browser
would fetch a download URL: returns the bytes, raises when the URL is refused).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import timedelta

import pytest

from rexvet_common.errors import BlobNotFoundError, BlobTooLargeError, InvalidBlobKeyError
from rexvet_common.ports.blob_store import BlobStore

from .support import unique_name

BlobStoreFactory = Callable[[], BlobStore]
UrlFetcher = Callable[[str], Awaitable[bytes]]


async def chunks(parts: Iterable[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def read_all(store: BlobStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in store.get(key)])


class BlobStoreContract:
    @pytest.fixture
    def make_blob_store(self) -> BlobStoreFactory:
        raise NotImplementedError("the adapter's test module overrides the make_blob_store fixture")

    @pytest.fixture
    def fetch_url(self) -> UrlFetcher:
        raise NotImplementedError("the adapter's test module overrides the fetch_url fixture")

    @pytest.fixture
    async def blobs(self, make_blob_store: BlobStoreFactory) -> AsyncIterator[BlobStore]:
        store = make_blob_store()
        yield store
        await store.close()

    @pytest.fixture
    def key(self) -> str:
        return f"{unique_name('inst')}/evidence/{unique_name('file')}.pdf"

    async def test_put_then_get_streams_the_same_bytes(self, blobs: BlobStore, key: str) -> None:
        parts = [b"%PDF-1.7\n", bytes(range(256)) * 300, b"", b"end"]
        content = b"".join(parts)
        info = await blobs.put(key, chunks(parts), max_size=len(content), content_type="application/pdf")
        assert info.size == len(content)
        assert info.sha256 == hashlib.sha256(content).hexdigest()
        assert info.key == key and info.content_type == "application/pdf"
        assert await read_all(blobs, key) == content
        assert await blobs.head(key) == info

    async def test_a_blob_over_the_limit_is_refused_and_nothing_is_kept(self, blobs: BlobStore, key: str) -> None:
        with pytest.raises(BlobTooLargeError):
            await blobs.put(key, chunks([b"x" * 600, b"y" * 600]), max_size=1000)
        assert await blobs.head(key) is None
        with pytest.raises(BlobNotFoundError):
            await read_all(blobs, key)

    async def test_a_refused_upload_leaves_the_previous_blob_in_place(self, blobs: BlobStore, key: str) -> None:
        first = await blobs.put(key, chunks([b"version one"]), max_size=100)
        with pytest.raises(BlobTooLargeError):
            await blobs.put(key, chunks([b"z" * 101]), max_size=100)
        assert await blobs.head(key) == first
        assert await read_all(blobs, key) == b"version one"

    async def test_exactly_the_limit_is_accepted(self, blobs: BlobStore, key: str) -> None:
        info = await blobs.put(key, chunks([b"a" * 50, b"b" * 50]), max_size=100)
        assert info.size == 100

    async def test_delete_removes_the_blob(self, blobs: BlobStore, key: str) -> None:
        await blobs.put(key, chunks([b"bye"]), max_size=10)
        assert await blobs.delete(key) is True
        assert await blobs.head(key) is None
        assert await blobs.delete(key) is False
        with pytest.raises(BlobNotFoundError):
            await read_all(blobs, key)

    @pytest.mark.parametrize("bad", ["", "/abs", "a/../b", "a//b", ".hidden", "a/.tmp", "sp ace", "a\\b", "x" * 600])
    async def test_keys_outside_the_pattern_are_refused(self, blobs: BlobStore, bad: str) -> None:
        with pytest.raises(InvalidBlobKeyError):
            await blobs.put(bad, chunks([b"x"]), max_size=10)

    async def test_a_download_url_serves_the_blob(self, blobs: BlobStore, key: str, fetch_url: UrlFetcher) -> None:
        await blobs.put(key, chunks([b"evidence bytes"]), max_size=100, content_type="text/plain")
        url = await blobs.download_url(key, expires=timedelta(minutes=5))
        assert await fetch_url(url) == b"evidence bytes"

    async def test_blobs_survive_a_new_store_instance(self, make_blob_store: BlobStoreFactory, key: str) -> None:
        first = make_blob_store()
        info = await first.put(key, chunks([b"kept"]), max_size=10)
        await first.close()
        second = make_blob_store()
        assert await second.head(key) == info
        assert await read_all(second, key) == b"kept"
        await second.close()

    async def test_ping_answers_when_the_store_is_up(self, blobs: BlobStore) -> None:
        await blobs.ping()
