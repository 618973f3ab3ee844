"""A file whose record cannot be updated is deleted: the blob store never keeps a file no evidence names."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from rexvet_common.adapters.local_blob_store import LocalBlobStore
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.errors import BackendUnavailableError
from rexvet_common.ports.document_store import Document
from rexvet_evidence.application.files import EvidenceFiles
from rexvet_evidence.application.records import EvidenceRecords, Submission

pytestmark = pytest.mark.unit


class StoreThatFailsOnReplace(SqliteDocumentStore):
    """The real embedded store, except that updates fail as if the database had gone away mid-request."""

    async def replace(self, collection: str, document: Document) -> Document:
        raise BackendUnavailableError("document store went away")


async def one_chunk() -> object:
    yield b"evidence bytes"


async def test_the_blob_is_deleted_when_the_record_update_fails(tmp_path: Path) -> None:
    documents = StoreThatFailsOnReplace(tmp_path / "docs.sqlite3")
    blobs = LocalBlobStore(tmp_path / "blobs", base_url="http://evidence.test/v1/blobs", signing_secret="s")
    records = EvidenceRecords(documents)
    await records.prepare()
    evidence = await records.submit(institution="omnia", staff_id="alice", submission=Submission(title="t"))
    files = EvidenceFiles(records, blobs, max_size=1024, url_ttl=timedelta(minutes=5))
    try:
        with pytest.raises(BackendUnavailableError):
            await files.attach(evidence, one_chunk(), content_type="text/plain")  # type: ignore[arg-type]
        assert [path for path in (tmp_path / "blobs").rglob("*") if path.is_file()] == []
        stored = await records.get(evidence["_id"])
        assert stored is not None
        assert "file" not in stored
    finally:
        await documents.close()
