"""Evidence files: streamed into the blob store, then recorded on the evidence; a file never outlives its record.

The upload goes to a fresh key, so the file the record names stays intact until the record names the new one. If
recording fails for any reason (a review came first, the evidence was deleted, the store failed, the client went
away), the new blob is deleted before the error propagates: no orphaned files. The replaced blob is deleted after.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterable
from datetime import UTC, datetime, timedelta
from typing import Any

from rexvet_common.ports.blob_store import BlobInfo, BlobStore
from rexvet_common.ports.document_store import Document
from rexvet_evidence.application.records import EvidenceRecords
from rexvet_evidence.domain.review import check_file_replaceable

log = logging.getLogger(__name__)


class EmptyFile(Exception):
    """An upload of zero bytes: almost always a client bug, never evidence."""


class NoFile(Exception):
    """The evidence has no file yet."""


class EvidenceFiles:
    def __init__(
        self,
        records: EvidenceRecords,
        blobs: BlobStore,
        *,
        max_size: int,
        url_ttl: timedelta,
        idle_seconds: float = 30.0,
    ) -> None:
        self.records = records
        self.blobs = blobs
        self.max_size = max_size
        self.idle_seconds = idle_seconds  # an upload with no byte for this long is cut (upload_stream.idle_limited)
        self.url_ttl = url_ttl

    async def attach(self, evidence: Document, stream: AsyncIterable[bytes], *, content_type: str) -> Document:
        """Store the stream as the evidence's file; `BlobTooLargeError` past `max_size` (nothing kept)."""
        check_file_replaceable(evidence)  # refuse before reading a byte when we already know
        evidence_id = evidence["_id"]
        key = f"evidence/{evidence_id}/{uuid.uuid4().hex}"
        info = await self.blobs.put(key, stream, max_size=self.max_size, content_type=content_type)
        replaced: list[str] = []
        try:
            if info.size == 0:
                raise EmptyFile("the file is empty; send its bytes as the request body")

            def change(current: Document) -> Document:
                check_file_replaceable(current)
                replaced[:] = [current["file"]["key"]] if current.get("file") else []
                return {**current, "file": _file_record(info)}

            updated = await self.records.update(evidence_id, change)
        except BaseException:
            await self._discard(key)
            raise
        for old_key in replaced:
            await self._discard(old_key)
        return updated

    async def download_url(self, evidence: Document) -> tuple[str, datetime]:
        file = evidence.get("file")
        if not file:
            raise NoFile(evidence["_id"])
        expires_at = datetime.now(UTC) + self.url_ttl
        return await self.blobs.download_url(file["key"], expires=self.url_ttl), expires_at

    async def _discard(self, key: str) -> None:
        try:
            await self.blobs.delete(key)
        except Exception:  # the caller's own error matters more; this one is logged for clean-up
            log.exception("could not delete blob %s; it is orphaned", key)


def _file_record(info: BlobInfo) -> dict[str, Any]:
    return {
        "key": info.key,
        "size": info.size,
        "sha256": info.sha256,
        "content_type": info.content_type,
        "uploaded_at": datetime.now(UTC).isoformat(),
    }
