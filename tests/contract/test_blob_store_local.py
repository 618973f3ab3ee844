"""The local-directory blob store against the blob store contract, plus its signed URLs and its temporary files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from rexvet_common.adapters.local_blob_store import LocalBlobStore, verify_download_signature
from rexvet_common.errors import BlobNotFoundError, BlobStoreError, BlobTooLargeError

from .blob_store_contract import BlobStoreContract, BlobStoreFactory, UrlFetcher, chunks, read_all

BASE_URL = "http://127.0.0.1:8001/files"
SECRET = "contract-test-secret"


class TestLocalBlobStore(BlobStoreContract):
    @pytest.fixture
    def make_blob_store(self, tmp_path: Path) -> BlobStoreFactory:
        return lambda: LocalBlobStore(tmp_path / "blobs", base_url=BASE_URL, signing_secret=SECRET)

    @pytest.fixture
    def fetch_url(self, make_blob_store: BlobStoreFactory) -> UrlFetcher:
        """What the evidence service does with such a URL: check the signature, then stream the blob."""

        async def fetch(url: str) -> bytes:
            parts = urlsplit(url)
            assert url.startswith(BASE_URL + "/")
            key = unquote(parts.path.removeprefix(urlsplit(BASE_URL).path + "/"))
            query = parse_qs(parts.query)
            expires, sig = int(query["expires"][0]), query["sig"][0]
            if not verify_download_signature(key, expires, sig, SECRET, datetime.now(UTC)):
                raise PermissionError("signature refused")
            return await read_all(make_blob_store(), key)

        return fetch


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def signed_parts(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return unquote(parts.path.removeprefix("/files/")), int(query["expires"][0]), query["sig"][0]


async def test_a_download_signature_expires_and_binds_the_key(tmp_path: Path) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    store = LocalBlobStore(tmp_path, base_url=BASE_URL, signing_secret=SECRET, clock=lambda: now)
    key, expires, sig = signed_parts(await store.download_url("a/b.pdf", expires=timedelta(minutes=10)))
    assert key == "a/b.pdf"
    assert verify_download_signature(key, expires, sig, SECRET, now + timedelta(minutes=9))
    assert not verify_download_signature(key, expires, sig, SECRET, now + timedelta(minutes=11))
    assert not verify_download_signature("a/c.pdf", expires, sig, SECRET, now)
    assert not verify_download_signature(key, expires + 3600, sig, SECRET, now)
    assert not verify_download_signature(key, expires, sig, "another secret", now)


async def test_a_refused_upload_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path, base_url=BASE_URL, signing_secret=SECRET)
    await store.put("inst/ok.txt", chunks([b"fine"]), max_size=10)
    with pytest.raises(BlobTooLargeError):
        await store.put("inst/big.txt", chunks([b"x" * 8, b"x" * 8]), max_size=10)
    assert files_under(tmp_path) == ["data/inst/ok.txt", "meta/inst/ok.txt.json"]


async def test_a_failing_stream_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path, base_url=BASE_URL, signing_secret=SECRET)

    async def broken() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.put("inst/cut.txt", broken(), max_size=100)
    assert files_under(tmp_path) == []


async def test_a_directory_of_blobs_is_not_a_blob(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path, base_url=BASE_URL, signing_secret=SECRET)
    await store.put("inst/a.txt", chunks([b"a"]), max_size=10)
    assert await store.head("inst") is None
    assert await store.delete("inst") is False
    with pytest.raises(BlobNotFoundError):
        await read_all(store, "inst")
    with pytest.raises(BlobStoreError):
        await store.put("inst/a.txt/b", chunks([b"b"]), max_size=10)
    assert await read_all(store, "inst/a.txt") == b"a"
