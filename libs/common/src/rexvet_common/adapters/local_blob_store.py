"""The `BlobStore` port on a local directory: `data/<key>` holds the bytes, `meta/<key>.json` the size, hash and type.

A put streams into a temporary file in the blob's own directory (the rename is then atomic on the same filesystem),
hashing and counting on the way; only a complete, fsynced file is renamed into place, so a reader never sees half a
blob and a refused or failed upload leaves nothing behind (nor replaces an existing blob). Temporary names start with
'.', which no key segment may, so they never collide with a key.

Download URLs are signed with HMAC-SHA256 over the key and the expiry; the service that serves files checks them
with `verify_download_signature`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlencode

from pydantic_settings import SettingsConfigDict

from rexvet_common.backend_registry import Backend, BackendSettings, BuildContext
from rexvet_common.errors import BackendUnavailableError, BlobNotFoundError, BlobStoreError, BlobTooLargeError
from rexvet_common.ports.blob_store import BlobInfo, check_blob_key

CHUNK_SIZE = 64 * 1024


def download_signature(key: str, expires: int, secret: str | bytes) -> str:
    secret_bytes = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret_bytes, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


def verify_download_signature(key: str, expires: int, sig: str, secret: str | bytes, now: datetime) -> bool:
    """True when `sig` was made for `key` and `expires` (unix seconds) with `secret`, and `now` is not past it."""
    if now.timestamp() > expires or not sig.isascii():
        return False  # compare_digest raises on non-ASCII text: a forged link must be refused, not a 500
    return hmac.compare_digest(download_signature(key, expires, secret), sig)


class LocalBlobStore:
    def __init__(
        self,
        root: Path | str,
        *,
        base_url: str,
        signing_secret: str | bytes,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not signing_secret:
            raise ValueError("LocalBlobStore needs a non-empty signing secret for its download URLs")
        self._data = Path(root) / "data"
        self._meta = Path(root) / "meta"
        self._base_url = base_url.rstrip("/")
        self._secret = signing_secret
        self._clock = clock

    def _paths(self, key: str) -> tuple[Path, Path]:
        check_blob_key(key)
        return self._data / key, self._meta / f"{key}.json"

    async def put(
        self,
        key: str,
        stream: AsyncIterable[bytes],
        *,
        max_size: int,
        content_type: str = "application/octet-stream",
    ) -> BlobInfo:
        data_path, meta_path = self._paths(key)
        try:
            await asyncio.to_thread(data_path.parent.mkdir, parents=True, exist_ok=True)
        except OSError as exc:  # e.g. a blob "a" exists and the key is "a/b": a file cannot be a directory here
            raise BlobStoreError(f"cannot store blob {key!r}: {exc}; a key must not extend another blob's key") from exc
        temp = data_path.parent / f".upload-{uuid.uuid4().hex}"
        digest, size = hashlib.sha256(), 0
        file = await asyncio.to_thread(temp.open, "wb")
        try:
            async for chunk in stream:
                size += len(chunk)
                if size > max_size:
                    raise BlobTooLargeError(f"blob {key!r} exceeds the limit of {max_size} bytes; nothing was kept")
                digest.update(chunk)
                await asyncio.to_thread(file.write, chunk)
            await asyncio.to_thread(_sync_and_close, file)
            info = BlobInfo(key=key, size=size, sha256=digest.hexdigest(), content_type=content_type)
            await asyncio.to_thread(os.replace, temp, data_path)
        except BaseException:
            await asyncio.to_thread(_discard, file, temp)
            raise
        await asyncio.to_thread(_write_meta, meta_path, info)
        return info

    async def get(self, key: str) -> AsyncIterator[bytes]:
        data_path, _ = self._paths(key)
        try:
            file = await asyncio.to_thread(data_path.open, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise BlobNotFoundError(f"blob {key!r} does not exist") from exc
        try:
            while chunk := await asyncio.to_thread(file.read, CHUNK_SIZE):
                yield chunk
        finally:
            await asyncio.to_thread(file.close)

    async def head(self, key: str) -> BlobInfo | None:
        data_path, meta_path = self._paths(key)
        return await asyncio.to_thread(_read_meta, key, data_path, meta_path)

    async def delete(self, key: str) -> bool:
        data_path, meta_path = self._paths(key)
        return await asyncio.to_thread(_delete, data_path, meta_path)

    async def download_url(self, key: str, *, expires: timedelta) -> str:
        check_blob_key(key)
        expires_at = int((self._clock() + expires).timestamp())
        query = urlencode({"expires": expires_at, "sig": download_signature(key, expires_at, self._secret)})
        return f"{self._base_url}/{quote(key)}?{query}"

    async def ping(self) -> None:
        try:
            await asyncio.to_thread(self._data.mkdir, parents=True, exist_ok=True)
            writable = await asyncio.to_thread(os.access, self._data, os.W_OK)
        except OSError as exc:
            raise BackendUnavailableError(f"blob directory {self._data} is not usable: {exc}") from exc
        if not writable:
            raise BackendUnavailableError(f"blob directory {self._data} is not writable; fix its permissions")

    async def close(self) -> None:
        return None


def _sync_and_close(file: IO[bytes]) -> None:
    file.flush()
    os.fsync(file.fileno())
    file.close()


def _discard(file: IO[bytes], temp: Path) -> None:
    file.close()
    temp.unlink(missing_ok=True)


def _write_meta(meta_path: Path, info: BlobInfo) -> None:
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    temp = meta_path.parent / f".meta-{uuid.uuid4().hex}"
    temp.write_text(json.dumps({"size": info.size, "sha256": info.sha256, "content_type": info.content_type}))
    os.replace(temp, meta_path)


def _read_meta(key: str, data_path: Path, meta_path: Path) -> BlobInfo | None:
    # Both must be there: a crash between the data's rename and the sidecar's leaves a blob `get` can stream
    # but that `head` does not report, and the next put of the key repairs it.
    if not data_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text())
    except FileNotFoundError:
        return None
    return BlobInfo(key=key, size=int(meta["size"]), sha256=str(meta["sha256"]), content_type=str(meta["content_type"]))


def _delete(data_path: Path, meta_path: Path) -> bool:
    existed = data_path.is_file()
    if existed:
        data_path.unlink(missing_ok=True)
    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
        meta_path.unlink()
    return existed


class LocalBlobSettings(BackendSettings):
    """REXVET_BLOBS=local: files in a directory under REXVET_DATA_DIR; nothing to configure."""

    model_config = SettingsConfigDict(env_prefix="REXVET_LOCAL_BLOBS_", extra="ignore")


def _build(context: BuildContext, settings: LocalBlobSettings) -> LocalBlobStore:
    if context.download_base_url is None or context.url_signing_secret is None:
        raise ValueError("the local blob store signs its own download links: it needs their base URL and secret")
    context.service.blobs_dir.mkdir(parents=True, exist_ok=True)
    return LocalBlobStore(
        context.service.blobs_dir, base_url=context.download_base_url, signing_secret=context.url_signing_secret
    )


# What the configuration reference says of it.
SUMMARY = "files under REXVET_DATA_DIR, served by the service through signed, time-limited links (make run)"
BACKEND = Backend("blobs", "local", LocalBlobSettings, _build, summary=SUMMARY, signs_download_links=True)
