"""With a store whose compare-and-swap is not atomic (as FerretDB 1.x on SQLite), concurrent changes still all land."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from rexvet_coaching.application.records import COLLECTION, StaffRecords
from rexvet_coaching.application.serialized import RecordLocks, SerializedWrites
from rexvet_coaching.domain import reactions
from rexvet_coaching.domain.eligibility import Outgoing
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.errors import VersionConflictError
from rexvet_common.ports.document_store import Document

from .conftest import at

pytestmark = pytest.mark.unit


class NonAtomicCas(SqliteDocumentStore):
    """Checks the version, then writes over whatever is stored by then, as FerretDB 1.x on SQLite does.

    The window between the check and the write is made long (RACE_WINDOW) so that writers running at the same time
    all pass the check before any of them writes.
    """

    RACE_WINDOW = 0.3

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._write = asyncio.Lock()  # the write itself overwrites whatever is stored, unconditionally

    async def replace(self, collection: str, document: Document) -> Document:
        current = await self.get(collection, document["_id"])
        if current is None or current["_version"] != document["_version"]:
            raise VersionConflictError("stale")
        await asyncio.sleep(self.RACE_WINDOW)
        async with self._write:
            latest = await self.get(collection, document["_id"])
            assert latest is not None
            return await super().replace(collection, {**document, "_version": latest["_version"]})


def _hr(n: int) -> Callable[[StaffRecord], tuple[None, list[Outgoing]]]:
    def command(record: StaffRecord) -> tuple[None, list[Outgoing]]:
        reactions.hr_event_accepted(
            record, hr_event_id=f"hr-{n}", hr_type="training.attended", fields={"hours": n}, occurred_at=at(n)
        )
        return None, []

    return command


async def _race(records: StaffRecords) -> StaffRecord:
    await records.change("omnia", "s-1", _hr(0), event_id="e-0")
    await asyncio.gather(*(records.change("omnia", "s-1", _hr(n), event_id=f"e-{n}") for n in range(1, 11)))
    record = await records.get("omnia", "s-1")
    assert record is not None
    return record


async def test_the_store_really_loses_updates_without_the_lock(tmp_path: Path) -> None:
    store = NonAtomicCas(tmp_path / "docs.sqlite")
    unlocked = [StaffRecords(store) for _ in range(10)]  # separate lock sets: like separate processes
    await unlocked[0].prepare()
    await unlocked[0].change("omnia", "s-1", _hr(0), event_id="e-0")
    await asyncio.gather(*(unlocked[n - 1].change("omnia", "s-1", _hr(n), event_id=f"e-{n}") for n in range(1, 11)))
    record = await unlocked[0].get("omnia", "s-1")
    assert record is not None and len(record.hr_events) < 11


async def test_one_process_serialises_its_writes_per_record(tmp_path: Path) -> None:
    store = NonAtomicCas(tmp_path / "docs.sqlite")
    records = StaffRecords(store, locks=RecordLocks())
    await records.prepare()
    record = await _race(records)
    assert sorted(h.hr_event_id for h in record.hr_events) == sorted(f"hr-{n}" for n in range(11))


async def test_relay_writes_wait_for_the_record_lock(tmp_path: Path) -> None:
    store = NonAtomicCas(tmp_path / "docs.sqlite")
    locks = RecordLocks()
    records = StaffRecords(store, locks=locks)
    await records.prepare()
    relay_view = SerializedWrites(store, locks, COLLECTION)
    await records.change("omnia", "s-1", _hr(0), event_id="e-0")
    document = await relay_view.get(COLLECTION, "omnia:s-1")
    assert document is not None

    async def relay_clears() -> None:
        # a relay-like writer with a stale read must conflict, not overwrite the change made meanwhile
        with pytest.raises(VersionConflictError):
            await relay_view.replace(COLLECTION, {**document, "_outbox": []})

    async with locks.hold("omnia:s-1"):
        clearing = asyncio.create_task(relay_clears())
        await asyncio.sleep(0.02)
        assert not clearing.done()  # waiting for the lock
        stored = await store.get(COLLECTION, "omnia:s-1")
        assert stored is not None
        await store.replace(COLLECTION, stored)  # the change made under the lock
    await clearing
