"""Staff records in the document store: one document per (institution, staff member), changed by compare-and-swap.

`change()` is the one way to modify a record. Holding the record's lock (see `serialized`), it reads the document,
runs a domain function on the record, and writes the record, its outgoing events (transactional outbox) and, for a
consumed event, that event's id (idempotency) in a single write. A domain error raised by the function leaves the
stored document untouched: nothing is half-written. A writer in another replica makes the write conflict, and the
function runs again on the fresh record.

A record names the badge definitions of its enrolments by content hash (`definitions`): they are resolved when a
record is read and stored before a record naming a new one is written. When a change moves the ladder, the manager
summary's projection (`ladder_projection`) is synced from the written record; a redelivered event syncs it again, so
a sync that failed after the record was written converges on the retry.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from rexvet_coaching.application.compare_and_swap import write_over
from rexvet_coaching.application.definitions import BadgeDefinitions, lift_legacy
from rexvet_coaching.application.ladder_projection import LadderProjection
from rexvet_coaching.application.serialized import RecordLocks
from rexvet_coaching.domain.eligibility import Outgoing
from rexvet_coaching.domain.progress import StaffRecord, record_id
from rexvet_coaching.events import EMITTED
from rexvet_common.errors import VersionConflictError
from rexvet_common.events import topics
from rexvet_common.events.envelope import CloudEvent, new_event, partition_key
from rexvet_common.messaging.idempotency import APPLIED_FIELD, DEFAULT_WINDOW
from rexvet_common.messaging.outbox import OUTBOX_INDEX, add_to_outbox
from rexvet_common.ports.document_store import Document, DocumentStore, Index, Scalar

COLLECTION = "staff_records"
INDEXES = (Index(("tenant",)), Index(("tenant", "coach_id")), OUTBOX_INDEX)
SOURCE = "rexvet/coaching"
MAX_CONFLICTS = 50

T = TypeVar("T")
Command = Callable[[StaffRecord], tuple[T, list[Outgoing]]]


@dataclass(frozen=True)
class Changed(Generic[T]):
    result: T | None
    applied: bool  # False when the event had been applied before (a redelivery)
    emitted: list[Outgoing]


def to_record(document: Mapping[str, object]) -> StaffRecord:
    """The stored record as a domain object; its enrolments' definitions are not resolved yet (see `StaffRecords`)."""
    return StaffRecord.model_validate({k: v for k, v in document.items() if not k.startswith("_")})


def _outgoing_event(record: StaffRecord, outgoing: Outgoing) -> tuple[str, CloudEvent]:
    # Checked here so a payload that breaks its published schema is never stored.
    EMITTED[outgoing.type].model_validate(outgoing.data)
    event = new_event(
        type=outgoing.type,
        source=SOURCE,
        key=partition_key(record.tenant, record.staff_id),
        subject=f"{record.tenant}/{record.staff_id}",
        data=outgoing.data,
    )
    return topics.COACHING, event


class StaffRecords:
    def __init__(
        self,
        documents: DocumentStore,
        on_emitted: Callable[[str, str], None] = lambda collection, doc_id: None,
        locks: RecordLocks | None = None,
        definitions: BadgeDefinitions | None = None,
        ladder: LadderProjection | None = None,
    ) -> None:
        self.documents = documents
        self.on_emitted = on_emitted
        self.locks = locks or RecordLocks()
        self.definitions = definitions or BadgeDefinitions(documents)
        self.ladder = ladder or LadderProjection(documents)

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)
        await self.definitions.prepare()
        await self.ladder.prepare()

    async def _load(self, document: Document) -> StaffRecord:
        slim, inline = lift_legacy(document)
        self.definitions.learn(inline)
        record = to_record(slim)
        await self.definitions.resolve(record)
        return record

    async def get(self, tenant: str, staff_id: str) -> StaffRecord | None:
        document = await self.documents.get(COLLECTION, record_id(tenant, staff_id))
        return await self._load(document) if document is not None else None

    async def count_in(self, tenant: str) -> int:
        return await self.documents.count(COLLECTION, {"tenant": tenant})

    async def get_or_new(self, tenant: str, staff_id: str) -> StaffRecord:
        return await self.get(tenant, staff_id) or StaffRecord(tenant=tenant, staff_id=staff_id)

    async def change(
        self, tenant: str, staff_id: str, command: Command[T], *, event_id: str | None = None
    ) -> Changed[T]:
        doc_id = record_id(tenant, staff_id)
        async with self.locks.hold(doc_id):
            changed, written = await self._change(doc_id, tenant, staff_id, command, event_id)
        if written is not None:
            await self.ladder.sync(written)
        return changed

    async def _change(
        self, doc_id: str, tenant: str, staff_id: str, command: Command[T], event_id: str | None
    ) -> tuple[Changed[T], StaffRecord | None]:
        """The change and, when the ladder projection may lag the record, the record to sync it from."""
        for _ in range(MAX_CONFLICTS):
            current = await self.documents.get(COLLECTION, doc_id)
            if event_id is not None and current is not None and event_id in current.get(APPLIED_FIELD, []):
                # A redelivery: its change is stored, but the projection's sync after it may have failed.
                stored = to_record(lift_legacy(current)[0])
                return Changed(result=None, applied=False, emitted=[]), stored if stored.history else None
            if current is None:
                record = StaffRecord(tenant=tenant, staff_id=staff_id)
            else:
                record = await self._load(current)
            ladder_before = len(record.history)
            result, outgoing = command(record)  # domain errors propagate before anything is written
            await self.definitions.store_for(record)  # before the record names them
            document: Document = {
                **{k: v for k, v in (current or {}).items() if k.startswith("_")},
                **record.model_dump(mode="json"),
                "_id": doc_id,
            }
            if event_id is not None:
                document[APPLIED_FIELD] = [*document.get(APPLIED_FIELD, []), event_id][-DEFAULT_WINDOW:]
            for item in outgoing:
                topic, event = _outgoing_event(record, item)
                document = add_to_outbox(document, topic, event)
            if not await write_over(self.documents, COLLECTION, current, document):
                continue
            if outgoing:
                self.on_emitted(COLLECTION, doc_id)  # the relay fetches this record by id, without a query
            moved = len(record.history) != ladder_before
            return Changed(result=result, applied=True, emitted=outgoing), record if moved else None
        raise VersionConflictError(f"staff record {doc_id!r} kept changing; try again")

    async def all_in(self, tenant: str, **where: Scalar) -> AsyncIterator[StaffRecord]:
        cursor: str | None = None
        while True:
            page = await self.documents.find(COLLECTION, {"tenant": tenant, **where}, limit=500, cursor=cursor)
            for document in page.items:
                yield await self._load(document)
            if page.next_cursor is None:
                return
            cursor = page.next_cursor
