"""The `BlobStore` port on any S3-compatible server, through the `minio` client (Apache-2.0; no MinIO server needed).

`put` streams: the bytes are counted and hashed (SHA-256) as they pass, and more than `max_size` stops the upload.
A blob that fits in one part (5 MiB) is known whole before it is sent, so it is stored with one PUT carrying its
hash as metadata. A larger one is uploaded in parts to a temporary key and, once complete and hashed, copied onto its
key with the hash (a server-side copy), then the temporary object is removed: readers never see half a blob, a
refused or failed upload aborts its multipart upload and leaves any previous blob in place. Temporary keys start with
'.', which no blob key may, so they never collide with one; a process killed mid-upload can leave one behind, which
a bucket lifecycle rule on the `.uploads/` prefix removes in production.

The `minio` client is synchronous; its calls run in worker threads, and the upload's reader pulls the caller's async
stream from the event loop one part at a time, so memory stays bounded by a few parts.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Callable
from datetime import timedelta
from io import BytesIO
from typing import Any, TypeVar
from urllib.parse import urlsplit

import urllib3
from minio import Minio
from minio.commonconfig import REPLACE, CopySource
from minio.error import S3Error
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from rexvet_common.backend_registry import Backend, BackendSettings, BuildContext
from rexvet_common.errors import (
    BackendUnavailableError,
    BlobNotFoundError,
    BlobStoreError,
    BlobTooLargeError,
)
from rexvet_common.ports.blob_store import BlobInfo, check_blob_key

PART_SIZE = 5 * 1024 * 1024  # the smallest part S3 accepts
CHUNK_SIZE = 64 * 1024
SHA256_META = "sha256"
TEMPORARY_PREFIX = ".uploads/"
MISSING_CODES = {"NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"}
T = TypeVar("T")


DOWNLOAD_RESPONSE_HEADERS: dict[str, str | list[str] | tuple[str]] = {"response-content-disposition": "attachment"}


class S3BlobStore:
    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str | None,
        secret_key: str | None,
        bucket: str,
        region: str = "us-east-1",
        secure: bool = True,
        create_bucket: bool = True,
        public_endpoint: str | None = None,
    ) -> None:
        host, secure = _endpoint(endpoint, secure)
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=120),
            retries=urllib3.Retry(total=3, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
            maxsize=16,
        )
        # The region is given so that the client never has to ask the server for the bucket's location.
        self._client = Minio(
            host, access_key=access_key, secret_key=secret_key, secure=secure, region=region, http_client=http
        )
        # Download links are for people outside the cluster: signed for the address they reach the store at, which
        # may differ from the services' in-cluster endpoint. Signing is local (the region is known), so this client
        # never connects anywhere.
        self._signer = self._client
        if public_endpoint is not None:
            public_host, public_secure = _endpoint(public_endpoint, secure)
            self._signer = Minio(
                public_host, access_key=access_key, secret_key=secret_key, secure=public_secure, region=region
            )
        self._http = http
        self._bucket = bucket
        self._region = region
        self._create_bucket = create_bucket
        self._bucket_ready = False
        self._bucket_lock = asyncio.Lock()

    # --- bucket ------------------------------------------------------------------------------------------------

    async def _ready(self) -> None:
        if self._bucket_ready:
            return
        async with self._bucket_lock:
            if self._bucket_ready:
                return
            exists = await self._call("check the bucket", self._client.bucket_exists, self._bucket)
            if not exists:
                if not self._create_bucket:
                    raise BackendUnavailableError(
                        f"S3 bucket {self._bucket!r} does not exist; create it or allow the service to create it"
                    )
                try:
                    await self._call("create the bucket", self._client.make_bucket, self._bucket, self._region)
                except BlobStoreError as exc:
                    if not isinstance(exc.__cause__, S3Error) or exc.__cause__.code not in (
                        "BucketAlreadyOwnedByYou",
                        "BucketAlreadyExists",
                    ):
                        raise  # another replica creating it at the same moment is fine; anything else is not
            self._bucket_ready = True

    # --- the port ----------------------------------------------------------------------------------------------

    async def put(
        self,
        key: str,
        stream: AsyncIterable[bytes],
        *,
        max_size: int,
        content_type: str = "application/octet-stream",
    ) -> BlobInfo:
        check_blob_key(key)
        await self._ready()
        counter = _CountingReader(key, stream, max_size)
        first = await counter.read_async(PART_SIZE + 1)
        if len(first) <= PART_SIZE:  # the whole blob: one PUT with its hash
            info = counter.info(content_type)
            await self._call(
                f"store {key!r}",
                self._client.put_object,
                self._bucket,
                key,
                BytesIO(first),
                len(first),
                content_type=content_type,
                metadata={SHA256_META: info.sha256},
            )
            return info
        temporary = f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}"
        counter.push_back(first)
        reader = _ThreadReader(counter, asyncio.get_running_loop())
        try:
            try:
                await self._call(
                    f"upload {key!r}",
                    self._client.put_object,
                    self._bucket,
                    temporary,
                    reader,
                    -1,
                    content_type=content_type,
                    part_size=PART_SIZE,
                    # One part at a time. With a pool minio aborts a failed upload while the pool's threads may
                    # still be sending parts, and a part that lands after the abort leaves an incomplete upload
                    # behind on some servers (versitygw: seen under load in the contract suite). Evidence files
                    # are a few parts at most, so sequential parts cost little.
                    num_parallel_uploads=1,
                )
            except _SourceError as exc:
                raise exc.original from None
            info = counter.info(content_type)
            await self._call(
                f"store {key!r}",
                self._client.copy_object,
                self._bucket,
                key,
                CopySource(self._bucket, temporary),
                metadata={"Content-Type": content_type, SHA256_META: info.sha256},
                metadata_directive=REPLACE,
            )
            return info
        finally:
            # minio aborts the multipart upload itself when the stream fails; the completed temporary goes here.
            await asyncio.shield(self._remove_quietly(temporary))

    async def _remove_quietly(self, key: str) -> None:
        # Nothing was completed under that key, or a lifecycle rule will remove it: either way not the caller's error.
        with contextlib.suppress(BlobStoreError, BackendUnavailableError):
            await self._call(f"remove {key!r}", self._client.remove_object, self._bucket, key)

    async def get(self, key: str) -> AsyncIterator[bytes]:
        check_blob_key(key)
        await self._ready()
        response: Any = await self._call(f"read {key!r}", self._client.get_object, self._bucket, key)
        try:
            while True:
                chunk: bytes = await self._call(f"read {key!r}", response.read, CHUNK_SIZE)
                if not chunk:
                    return
                yield chunk
        finally:
            response.close()
            response.release_conn()

    async def head(self, key: str) -> BlobInfo | None:
        check_blob_key(key)
        await self._ready()
        try:
            stat: Any = await self._call(f"look up {key!r}", self._client.stat_object, self._bucket, key)
        except BlobNotFoundError:
            return None
        metadata = stat.metadata or {}
        return BlobInfo(
            key=key,
            size=int(stat.size),
            sha256=str(metadata.get(f"x-amz-meta-{SHA256_META}", "")),
            content_type=str(stat.content_type or "application/octet-stream"),
        )

    async def delete(self, key: str) -> bool:
        # S3 deletes silently whether or not the object exists; the port tells the caller which it was.
        if await self.head(key) is None:
            return False
        await self._call(f"delete {key!r}", self._client.remove_object, self._bucket, key)
        return True

    async def download_url(self, key: str, *, expires: timedelta) -> str:
        check_blob_key(key)
        # Signed locally (the region is known): no request to the server. The link makes S3 answer with
        # `Content-Disposition: attachment` (a response header override S3 allows in a signed GET), so a file
        # someone uploaded is saved, not rendered. S3 has no override for nosniff or a CSP: S3 serves from its own
        # origin, not ours, which is what keeps an uploaded script away from our cookies and tokens.
        return self._signer.presigned_get_object(
            self._bucket, key, expires=expires, response_headers=DOWNLOAD_RESPONSE_HEADERS
        )

    async def ping(self) -> None:
        self._bucket_ready = False
        await self._ready()

    async def close(self) -> None:
        self._http.clear()

    # --- errors ------------------------------------------------------------------------------------------------

    async def _call(self, action: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking client call in a thread; the client's errors become the platform's."""
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except _SourceError:
            raise
        except S3Error as exc:
            if exc.code in MISSING_CODES:
                raise BlobNotFoundError(f"blob not found while trying to {action}") from exc
            raise BlobStoreError(f"the S3 server refused to {action}: {exc.code}: {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise BackendUnavailableError(f"the S3 server cannot be reached to {action}: {exc}") from exc


def _endpoint(endpoint: str, secure: bool) -> tuple[str, bool]:
    """`host:port`, or a URL whose scheme decides TLS."""
    if "//" not in endpoint:
        return endpoint.rstrip("/"), secure
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ValueError(f"S3 endpoint {endpoint!r} must be host:port or http(s)://host:port with no path")
    return parts.netloc, parts.scheme == "https"


class _CountingReader:
    """Pulls the caller's async stream, counting and hashing, and refuses a byte past `max_size`."""

    def __init__(self, key: str, stream: AsyncIterable[bytes], max_size: int) -> None:
        self._key = key
        self._iterator = aiter(stream)
        self._max_size = max_size
        self._buffer = bytearray()
        self._size = 0
        self._hash = hashlib.sha256()
        self._ended = False

    async def read_async(self, n: int) -> bytes:
        while len(self._buffer) < n and not self._ended:
            try:
                chunk = await anext(self._iterator)
            except StopAsyncIteration:
                self._ended = True
                break
            if not chunk:
                continue
            self._size += len(chunk)
            if self._size > self._max_size:
                raise BlobTooLargeError(f"blob {self._key!r} is larger than the limit of {self._max_size} bytes")
            self._hash.update(chunk)
            self._buffer.extend(chunk)
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def push_back(self, data: bytes) -> None:
        """Give back bytes already counted and hashed, to be read again by the uploader."""
        self._buffer[:0] = data

    def info(self, content_type: str) -> BlobInfo:
        return BlobInfo(key=self._key, size=self._size, sha256=self._hash.hexdigest(), content_type=content_type)


class _ThreadReader:
    """A blocking `read(n)` for the client's worker thread, served by the event loop that owns the stream."""

    def __init__(self, source: _CountingReader, loop: asyncio.AbstractEventLoop) -> None:
        self._source = source
        self._loop = loop

    def read(self, n: int = -1) -> bytes:
        size = PART_SIZE if n is None or n < 0 else n
        try:
            return asyncio.run_coroutine_threadsafe(self._source.read_async(size), self._loop).result()
        except Exception as exc:
            raise _SourceError(exc) from exc


class _SourceError(Exception):
    """The caller's stream failed (or was too large): not the S3 server's fault, so not translated as such."""

    def __init__(self, original: Exception) -> None:
        super().__init__(str(original))
        self.original = original


class S3Settings(BackendSettings):
    """REXVET_BLOBS=s3: an S3-compatible object store."""

    model_config = SettingsConfigDict(env_prefix="REXVET_S3_", extra="ignore")

    endpoint: str = Field(description="S3 endpoint (host:port or URL)")
    access_key: SecretStr = Field(description="S3 access key (secret)")
    secret_key: SecretStr = Field(description="S3 secret key (secret)")
    region: str = Field("us-east-1", description="S3 region")
    secure: bool = Field(True, description="Use https to reach the S3 endpoint")
    public_endpoint: str | None = Field(
        None, description="Where people reach the S3 store (download links are signed for it); default S3_ENDPOINT"
    )
    bucket_prefix: str = Field("rexvet-", description="Each service's bucket is <prefix><service>")


def _build(context: BuildContext, settings: S3Settings) -> S3BlobStore:
    return S3BlobStore(
        endpoint=settings.endpoint,
        access_key=settings.access_key.get_secret_value(),
        secret_key=settings.secret_key.get_secret_value(),
        bucket=settings.bucket_prefix + context.service.service_name,
        region=settings.region,
        secure=settings.secure,
        public_endpoint=settings.public_endpoint,
    )


# What the configuration reference says of it.
SUMMARY = "an S3-compatible object store (tested with versitygw); download links are presigned by S3"
BACKEND = Backend("blobs", "s3", S3Settings, _build, summary=SUMMARY)
