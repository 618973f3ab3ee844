"""The relay against the SQLite store: writes racing it, deleted documents, an unreachable bus."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from memory_bus import RecordingBus

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.messaging.outbox import (
    OUTBOX_INDEX,
    PENDING_FIELD,
    SINCE_FIELD,
    OutboxRelay,
    add_to_outbox,
    pending_events,
)
from rexvet_common.ports.document_store import Document, Page

pytestmark = pytest.mark.unit

RECORDS = "records"


def event(n: int) -> CloudEvent:
    return new_event(type="org.rexvet.test.unit.v1", source="rexvet/unit", key="inst:1", data={"n": n})


class RacingStore(SqliteDocumentStore):
    """Before the relay's first clearing write lands, the service changes the document and adds an event."""

    def __init__(self, path: Path, late_event: CloudEvent) -> None:
        super().__init__(path)
        self.late_event = late_event
        self.raced = False

    async def replace(self, collection: str, document: Document) -> Document:
        if not self.raced:
            self.raced = True
            current = await self.get(collection, document["_id"])
            assert current is not None
            changed = add_to_outbox({**current, "state": "reviewed"}, "t", self.late_event)
            await super().replace(collection, changed)
        return await super().replace(collection, document)


@pytest.fixture
async def store(tmp_path: Path) -> SqliteDocumentStore:
    store = SqliteDocumentStore(tmp_path / "docs.sqlite3")
    await store.ensure_collection(RECORDS, [OUTBOX_INDEX])
    return store


async def test_an_event_added_while_the_relay_publishes_is_kept_for_the_next_round(tmp_path: Path) -> None:
    first, late = event(1), event(2)
    store = RacingStore(tmp_path / "docs.sqlite3", late)
    await store.ensure_collection(RECORDS, [OUTBOX_INDEX])
    await store.insert(RECORDS, add_to_outbox({"_id": "r1", "state": "submitted"}, "t", first))
    bus = RecordingBus()
    relay = OutboxRelay(store, bus, [RECORDS])
    assert await relay.run_once() == 1
    after_first = await store.get(RECORDS, "r1")
    assert after_first is not None and after_first["state"] == "reviewed"
    assert [e.id for _, e in pending_events(after_first)] == [late.id]
    assert await relay.run_once() == 1
    assert [e.id for _, e in bus.published] == [first.id, late.id]
    final = await store.get(RECORDS, "r1")
    assert final is not None and final[PENDING_FIELD] is False and final["state"] == "reviewed"
    await store.close()


async def test_an_unreachable_bus_leaves_the_events_pending(store: SqliteDocumentStore) -> None:
    pending = event(1)
    await store.insert(RECORDS, add_to_outbox({"_id": "r1"}, "t", pending))
    bus = RecordingBus()
    bus.failing = True
    relay = OutboxRelay(store, bus, [RECORDS])
    with pytest.raises(ConnectionError):
        await relay.run_once()
    assert await store.count(RECORDS, {PENDING_FIELD: True}) == 1
    bus.failing = False
    assert await relay.run_once() == 1
    assert [e.id for _, e in bus.published] == [pending.id]
    assert await relay.run_once() == 0
    await store.close()


async def test_the_oldest_pending_document_is_published_first(store: SqliteDocumentStore) -> None:
    older, newer = event(1), event(2)
    # Ids sort the other way round: only the date of the pending event can put "z-older" first.
    await store.insert(RECORDS, {**add_to_outbox({"_id": "z-older"}, "t", older), SINCE_FIELD: "2026-01-01T10:00:00Z"})
    await store.insert(RECORDS, {**add_to_outbox({"_id": "a-newer"}, "t", newer), SINCE_FIELD: "2026-01-01T10:00:01Z"})
    bus = RecordingBus()
    assert await OutboxRelay(store, bus, [RECORDS]).run_once() == 2
    assert [e.id for _, e in bus.published] == [older.id, newer.id]
    await store.close()


class CountingStore(SqliteDocumentStore):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.queries = 0

    async def find(self, *args: Any, **kwargs: Any) -> Page:
        self.queries += 1
        return await super().find(*args, **kwargs)


async def test_a_named_document_is_relayed_by_id_without_querying_for_pending_ones(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "docs.sqlite3")
    await store.ensure_collection(RECORDS, [OUTBOX_INDEX])
    named, unnamed = event(1), event(2)
    await store.insert(RECORDS, add_to_outbox({"_id": "r1"}, "t", named))
    await store.insert(RECORDS, add_to_outbox({"_id": "r2"}, "t", unnamed))  # e.g. a crashed writer's
    bus = RecordingBus()
    relay = OutboxRelay(store, bus, [RECORDS])
    relay.wake(RECORDS, "r1")
    relay.wake("another_service_collection", "r2")  # not the relay's: ignored
    assert await relay.run_hinted() == 1
    assert store.queries == 0
    assert [e.id for _, e in bus.published] == [named.id]
    assert await relay.run_hinted() == 0  # named once, relayed once
    assert await relay.run_once() == 1  # the query still finds what nobody named
    assert [e.id for _, e in bus.published] == [named.id, unnamed.id]
    await store.close()


async def test_a_named_document_whose_relay_failed_stays_named(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "docs.sqlite3")
    await store.ensure_collection(RECORDS, [OUTBOX_INDEX])
    pending = event(1)
    await store.insert(RECORDS, add_to_outbox({"_id": "r1"}, "t", pending))
    bus = RecordingBus()
    bus.failing = True
    relay = OutboxRelay(store, bus, [RECORDS])
    relay.wake(RECORDS, "r1")
    with pytest.raises(ConnectionError):
        await relay.run_hinted()
    bus.failing = False
    assert await relay.run_hinted() == 1
    assert [e.id for _, e in bus.published] == [pending.id]
    await store.close()


class SlowStore(SqliteDocumentStore):
    """Reads take a while, like a remote database's round trip; records how many were in flight at once."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.in_flight = 0
        self.most_in_flight = 0

    async def get(self, collection: str, doc_id: str) -> Document | None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            return await super().get(collection, doc_id)
        finally:
            self.in_flight -= 1


async def test_named_documents_are_relayed_several_at_a_time_each_in_its_own_order(tmp_path: Path) -> None:
    store = SlowStore(tmp_path / "docs.sqlite3")
    await store.ensure_collection(RECORDS, [OUTBOX_INDEX])
    expected: dict[str, list[str]] = {}
    for n in range(12):
        first, second = event(2 * n), event(2 * n + 1)
        await store.insert(RECORDS, add_to_outbox(add_to_outbox({"_id": f"r{n}"}, "t", first), "t", second))
        expected[f"r{n}"] = [first.id, second.id]
    bus = RecordingBus()
    relay = OutboxRelay(store, bus, [RECORDS], concurrency=4)
    for n in range(12):
        relay.wake(RECORDS, f"r{n}")
    assert await relay.run_hinted() == 24
    assert 1 < store.most_in_flight <= 4
    published = [e.id for _, e in bus.published]
    for ids in expected.values():
        assert published.index(ids[0]) < published.index(ids[1])  # one document's events keep their order
    assert await store.count(RECORDS, {PENDING_FIELD: True}) == 0
    await store.close()


class SlowWritesStore(SqliteDocumentStore):
    """Writes take a while, like a remote database's round trip; records how many were in flight at once."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.in_flight = 0
        self.most_in_flight = 0

    async def replace(self, collection: str, document: Document) -> Document:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            return await super().replace(collection, document)
        finally:
            self.in_flight -= 1


async def test_documents_the_query_finds_are_relayed_several_at_a_time_each_in_its_own_order(tmp_path: Path) -> None:
    store = SlowWritesStore(tmp_path / "docs.sqlite3")
    await store.ensure_collection(RECORDS, [OUTBOX_INDEX])
    expected: dict[str, list[str]] = {}
    for n in range(12):
        first, second = event(2 * n), event(2 * n + 1)
        await store.insert(RECORDS, add_to_outbox(add_to_outbox({"_id": f"r{n}"}, "t", first), "t", second))
        expected[f"r{n}"] = [first.id, second.id]
    bus = RecordingBus()
    relay = OutboxRelay(store, bus, [RECORDS], concurrency=3)
    assert await relay.run_once() == 24  # nothing named: the query's page
    assert 1 < store.most_in_flight <= 3
    published = [e.id for _, e in bus.published]
    for ids in expected.values():
        assert published.index(ids[0]) < published.index(ids[1])
    assert await store.count(RECORDS, {PENDING_FIELD: True}) == 0
    await store.close()


async def test_the_query_takes_at_most_a_batch_per_round(store: SqliteDocumentStore) -> None:
    for n in range(7):
        await store.insert(RECORDS, add_to_outbox({"_id": f"r{n}"}, "t", event(n)))
    bus = RecordingBus()
    relay = OutboxRelay(store, bus, [RECORDS], batch_size=3)
    assert [await relay.run_once() for _ in range(4)] == [3, 3, 1, 0]
    assert len(bus.published) == 7


async def test_under_a_steady_stream_of_named_documents_the_query_still_finds_unnamed_ones(
    store: SqliteDocumentStore,
) -> None:
    orphan = event(0)
    bus = RecordingBus()
    relay = OutboxRelay(store, bus, [RECORDS], poll_interval=0.05, busy_scan_interval=0.3)
    await relay.start()
    try:
        n = 0
        while orphan.id not in {e.id for _, e in bus.published}:
            n += 1
            assert n < 2000, "the query for pending documents never ran while named documents kept coming"
            if n == 20:  # the stream is flowing: now a crashed writer's document, never named
                await store.insert(RECORDS, add_to_outbox({"_id": "orphan"}, "t", orphan))
            await store.insert(RECORDS, add_to_outbox({"_id": f"named-{n}"}, "t", event(n)))
            relay.wake(RECORDS, f"named-{n}")
            await asyncio.sleep(0.005)
    finally:
        await relay.stop()
        await store.close()
