"""apply_once, insert_once and processed-event records on the SQLite store, including writes that race them."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.errors import DuplicateKeyError
from rexvet_common.messaging.idempotency import APPLIED_FIELD, Change, apply_once, insert_once
from rexvet_common.ports.document_store import Document, Index

pytestmark = pytest.mark.unit

TALLIES = "tallies"


def add(amount: int) -> Change:
    def change(current: Document | None) -> Document:
        tally = current or {"_id": "t1", "count": 0}
        return {**tally, "count": tally["count"] + amount}

    return change


class InterruptedStore(SqliteDocumentStore):
    """Another consumer's event lands between apply_once's read and its write (once)."""

    interrupted = False

    async def _interrupt(self) -> None:
        if not self.interrupted:
            self.interrupted = True
            assert await apply_once(self, TALLIES, "t1", "other-event", add(10))

    async def replace(self, collection: str, document: Document) -> Document:
        await self._interrupt()
        return await super().replace(collection, document)

    async def insert(self, collection: str, document: Document) -> Document:
        await self._interrupt()
        return await super().insert(collection, document)


@pytest.fixture
async def store(tmp_path: Path) -> SqliteDocumentStore:
    return SqliteDocumentStore(tmp_path / "docs.sqlite3")


async def test_an_event_applies_once(store: SqliteDocumentStore) -> None:
    assert await apply_once(store, TALLIES, "t1", "e1", add(1)) is True
    assert await apply_once(store, TALLIES, "t1", "e1", add(1)) is False
    assert await apply_once(store, TALLIES, "t1", "e2", add(1)) is True
    tally = await store.get(TALLIES, "t1")
    assert tally is not None and tally["count"] == 2 and tally[APPLIED_FIELD] == ["e1", "e2"]


@pytest.mark.parametrize("first_write", ["insert", "replace"])
async def test_a_write_racing_apply_once_is_kept_and_the_event_still_applies(tmp_path: Path, first_write: str) -> None:
    store = InterruptedStore(tmp_path / "docs.sqlite3")
    if first_write == "replace":
        await SqliteDocumentStore.insert(store, TALLIES, {"_id": "t1", "count": 0})
    assert await apply_once(store, TALLIES, "t1", "mine", add(1)) is True
    tally = await store.get(TALLIES, "t1")
    assert tally is not None and tally["count"] == 11
    assert tally[APPLIED_FIELD] == ["other-event", "mine"]


async def test_a_change_that_does_nothing_writes_nothing(store: SqliteDocumentStore) -> None:
    assert await apply_once(store, TALLIES, "t1", "e1", lambda current: None) is True
    assert await store.get(TALLIES, "t1") is None


async def test_only_the_last_window_of_event_ids_is_kept(store: SqliteDocumentStore) -> None:
    for n in range(5):
        await apply_once(store, TALLIES, "t1", f"e{n}", add(1), window=3)
    tally = await store.get(TALLIES, "t1")
    assert tally is not None and tally[APPLIED_FIELD] == ["e2", "e3", "e4"] and tally["count"] == 5


async def test_insert_once_tells_a_redelivery_from_a_real_conflict(store: SqliteDocumentStore) -> None:
    await store.ensure_collection("records", [Index(("email",), unique=True)])
    assert await insert_once(store, "records", {"_id": "from-e1", "email": "a@example.org"}) is True
    assert await insert_once(store, "records", {"_id": "from-e1", "email": "a@example.org"}) is False
    with pytest.raises(DuplicateKeyError):
        await insert_once(store, "records", {"_id": "from-e2", "email": "a@example.org"})
