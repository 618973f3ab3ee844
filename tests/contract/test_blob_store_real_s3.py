"""The S3 blob store against the blob store contract on the local S3 server (versitygw, `make infra-up`), plus what
only it does: multipart uploads of blobs larger than one part, aborted cleanly when refused or cut."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest

from rexvet_common.adapters.s3_blob_store import PART_SIZE, S3BlobStore
from rexvet_common.errors import BlobTooLargeError

from .blob_store_contract import BlobStoreContract, BlobStoreFactory, UrlFetcher, chunks, read_all
from .real_engines import S3_ACCESS_KEY, S3_ENDPOINT, S3_REGION, S3_SECRET_KEY, S3_SECURE, require_s3

pytestmark = pytest.mark.integration

BUCKET = "rexvet-contract"


def s3_store(bucket: str = BUCKET) -> S3BlobStore:
    return S3BlobStore(
        endpoint=S3_ENDPOINT,
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
        bucket=bucket,
        region=S3_REGION,
        secure=S3_SECURE,
    )


async def fetch_with_a_browser(url: str) -> bytes:
    """A presigned URL needs no credential: a plain GET, as a user's browser would send it."""
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    response.raise_for_status()
    return response.content


class TestS3BlobStore(BlobStoreContract):
    @pytest.fixture
    def make_blob_store(self) -> BlobStoreFactory:
        require_s3()
        return s3_store

    @pytest.fixture
    def fetch_url(self) -> UrlFetcher:
        return fetch_with_a_browser


def pattern_parts(total: int, part: int = 256 * 1024) -> Iterator[bytes]:
    block = hashlib.sha256(b"seed").digest() * (part // 32)
    sent = 0
    while sent < total:
        piece = block[: min(part, total - sent)]
        sent += len(piece)
        yield piece


@pytest.fixture
async def store() -> AsyncIterator[S3BlobStore]:
    require_s3()
    blobs = s3_store(f"rexvet-multipart-{uuid.uuid4().hex[:8]}")  # a new bucket, created on first use
    yield blobs
    await blobs.close()


def leftover_keys(blobs: S3BlobStore) -> list[str]:
    client = blobs._client
    bucket = blobs._bucket
    return sorted(str(o.object_name) for o in client.list_objects(bucket, recursive=True))


async def test_a_blob_of_several_parts_streams_in_and_out_with_its_hash(store: S3BlobStore) -> None:
    total = 2 * PART_SIZE + 12345
    content = b"".join(pattern_parts(total))
    info = await store.put("inst/big.bin", chunks(pattern_parts(total)), max_size=total)
    assert info.size == total and info.sha256 == hashlib.sha256(content).hexdigest()
    assert await store.head("inst/big.bin") == info
    assert await read_all(store, "inst/big.bin") == content
    assert await fetch_with_a_browser(await store.download_url("inst/big.bin", expires=timedelta(minutes=1))) == content
    assert leftover_keys(store) == ["inst/big.bin"]  # the temporary upload is gone


async def test_a_multipart_upload_over_the_limit_keeps_the_old_blob_and_leaves_nothing(store: S3BlobStore) -> None:
    old = await store.put("inst/doc.bin", chunks([b"old"]), max_size=10)
    limit = PART_SIZE + PART_SIZE // 2
    with pytest.raises(BlobTooLargeError):
        await store.put("inst/doc.bin", chunks(pattern_parts(3 * PART_SIZE)), max_size=limit)
    assert await store.head("inst/doc.bin") == old
    assert leftover_keys(store) == ["inst/doc.bin"]
    assert not [u for u in store._client._list_multipart_uploads(store._bucket).uploads]  # aborted


async def test_a_stream_that_fails_mid_upload_keeps_its_own_error_and_leaves_nothing(store: S3BlobStore) -> None:
    async def cut() -> AsyncIterator[bytes]:
        for piece in pattern_parts(PART_SIZE + 1000):
            yield piece
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.put("inst/cut.bin", cut(), max_size=10 * PART_SIZE)
    assert await store.head("inst/cut.bin") is None
    assert leftover_keys(store) == []


async def test_download_links_can_be_signed_for_the_address_people_reach_the_store_at() -> None:
    # The same server under another name, as a public host in front of an in-cluster endpoint would be.
    require_s3()
    host, _, port = S3_ENDPOINT.removeprefix("http://").removeprefix("https://").rpartition(":")
    assert host == "127.0.0.1", "this test renames the local server: 127.0.0.1 -> localhost"
    public = f"{'https' if S3_SECURE else 'http'}://localhost:{port}"
    store = S3BlobStore(
        endpoint=S3_ENDPOINT,
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
        bucket=f"rexvet-public-{uuid.uuid4().hex[:8]}",
        region=S3_REGION,
        secure=S3_SECURE,
        public_endpoint=public,
    )
    try:
        await store.put("inst/note.txt", chunks([b"shared"]), max_size=100)
        url = await store.download_url("inst/note.txt", expires=timedelta(minutes=1))
        assert url.startswith(public + "/")
        assert await fetch_with_a_browser(url) == b"shared"
    finally:
        await store.close()


async def test_a_download_link_makes_s3_serve_the_file_as_an_attachment() -> None:
    """Someone else's upload is saved, not rendered: the signed link carries S3's Content-Disposition override."""
    require_s3()
    store = s3_store()
    try:
        await store.put("inst/page.html", chunks([b"<script>alert(1)</script>"]), max_size=100)
        url = await store.download_url("inst/page.html", expires=timedelta(minutes=1))
        async with httpx.AsyncClient() as client:
            response = await client.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"] == "attachment"
    finally:
        await store.delete("inst/page.html")
        await store.close()
