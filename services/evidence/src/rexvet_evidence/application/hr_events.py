"""HR events received from institutions' HR systems, each stored once with its `hr.event.accepted` event.

The record's `_id` derives from (institution, HR id), so the store's unique `_id` is what makes intake idempotent:
a retried push finds the stored record instead of writing a second one (and a second event).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from rexvet_common.errors import DuplicateKeyError
from rexvet_common.events import topics
from rexvet_common.events.catalogue import HR_EVENT_ACCEPTED, HrEventAccepted
from rexvet_common.events.envelope import partition_key
from rexvet_common.messaging.outbox import OUTBOX_INDEX
from rexvet_common.messaging.producer import EventProducer
from rexvet_common.ports.document_store import Document, DocumentStore, Index
from rexvet_evidence.domain.hr_event import HrEventIn, hr_record_id

COLLECTION = "hr_events"
INDEXES = (Index(("institution", "staff_id")), OUTBOX_INDEX)
# An HR event's fields go on as the HR system sent them, nulls included.
HR_EVENTS = EventProducer(source="rexvet/evidence/hr", topic=topics.HR, exclude_none=False)

Outcome = Literal["accepted", "duplicate", "conflict"]


@dataclass(frozen=True)
class Intake:
    outcome: Outcome
    record: Document  # the stored record (for a conflict, the one stored first)


class HrEvents:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def accept(self, institution: str, pushed: HrEventIn) -> Intake:
        record_id = hr_record_id(institution, pushed.id)
        stored = await self.documents.get(COLLECTION, record_id)
        if stored is None:
            try:
                return Intake("accepted", await self.documents.insert(COLLECTION, _new_record(institution, pushed)))
            except DuplicateKeyError:
                stored = await self.documents.get(COLLECTION, record_id)  # a concurrent retry stored it first
                if stored is None:
                    raise
        same = stored["fingerprint"] == pushed.fingerprint()
        return Intake("duplicate" if same else "conflict", stored)


def _new_record(institution: str, pushed: HrEventIn) -> Document:
    now = datetime.now(UTC)
    record: dict[str, Any] = {
        "_id": hr_record_id(institution, pushed.id),
        "institution": institution,
        "hr_event_id": pushed.id,
        "type": pushed.type,
        "staff_id": pushed.staff_id,
        "occurred_at": pushed.occurred_at.isoformat(),
        "fields": pushed.fields,
        "fingerprint": pushed.fingerprint(),
        "received_at": now.isoformat(),
    }
    payload = HrEventAccepted(
        institution=institution,
        staff_id=pushed.staff_id,
        hr_event_id=pushed.id,
        hr_type=pushed.type,
        occurred_at=pushed.occurred_at,
        fields=pushed.fields,
    )
    key = partition_key(institution, pushed.staff_id)
    return HR_EVENTS.announce(record, HR_EVENT_ACCEPTED, key=key, subject=pushed.id, payload=payload)
