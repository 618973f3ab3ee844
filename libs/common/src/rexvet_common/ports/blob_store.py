"""Blob store port: evidence files, streamed in and out, never held whole in memory.

- `put` reads the stream once, computes SHA-256 and size on the way, and refuses more than `max_size` bytes with
  `BlobTooLargeError`, keeping nothing (no orphaned partial files or multipart uploads).
- Keys are relative paths of `[A-Za-z0-9._-]` segments separated by `/`; anything else is `InvalidBlobKeyError`.
- `download_url` is a time-limited URL that needs no other credential.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from rexvet_common.errors import InvalidBlobKeyError

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
MAX_KEY_LENGTH = 512


def check_blob_key(key: str) -> str:
    if len(key) > MAX_KEY_LENGTH or not KEY_PATTERN.match(key) or ".." in key.split("/"):
        raise InvalidBlobKeyError(
            f"blob key {key!r} must be '/'-separated segments of letters, digits, '.', '_' or '-' "
            f"(at most {MAX_KEY_LENGTH} characters, no '..')"
        )
    return key


@dataclass(frozen=True)
class BlobInfo:
    key: str
    size: int
    sha256: str  # lowercase hex
    content_type: str


class BlobStore(Protocol):
    async def put(
        self,
        key: str,
        stream: AsyncIterable[bytes],
        *,
        max_size: int,
        content_type: str = "application/octet-stream",
    ) -> BlobInfo: ...

    def get(self, key: str) -> AsyncIterator[bytes]:
        """Stream the blob's bytes; `BlobNotFoundError` (raised on first iteration) when absent."""

    async def head(self, key: str) -> BlobInfo | None: ...

    async def delete(self, key: str) -> bool:
        """Delete; False when it was absent."""

    async def download_url(self, key: str, *, expires: timedelta) -> str: ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...
