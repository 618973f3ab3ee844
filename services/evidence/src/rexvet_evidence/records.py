"""Evidence records: what a staff member submitted, stored with the event that announces it (transactional outbox).

The record and its `evidence.submitted` event are written as one document, so either both exist or neither; the
outbox relay publishes the event afterwards.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rexvet_common.events import topics
from rexvet_common.events.catalogue import EvidenceSubmitted
from rexvet_common.events.envelope import new_event, partition_key
from rexvet_common.messaging.outbox import OUTBOX_INDEX, add_to_outbox
from rexvet_common.ports.document_store import Document, DocumentStore, Index

COLLECTION = "evidence"
INDEXES = (Index(("institution", "staff_id")), OUTBOX_INDEX)
SOURCE = "rexvet/evidence"
EVIDENCE_SUBMITTED = "org.rexvet.evidence.submitted.v1"


@dataclass(frozen=True)
class Submission:
    title: str
    description: str | None = None
    badge_id: str | None = None
    requirement_id: str | None = None
    url: str | None = None


class EvidenceRecords:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def submit(self, *, institution: str, staff_id: str, submission: Submission) -> Document:
        evidence_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        record: dict[str, Any] = {
            "_id": evidence_id,
            "institution": institution,
            "staff_id": staff_id,
            "title": submission.title,
            "description": submission.description,
            "badge_id": submission.badge_id,
            "requirement_id": submission.requirement_id,
            "url": submission.url,
            "status": "submitted",
            "submitted_at": now.isoformat(),
        }
        payload = EvidenceSubmitted(
            institution=institution,
            staff_id=staff_id,
            evidence_id=evidence_id,
            title=submission.title,
            badge_id=submission.badge_id,
            requirement_id=submission.requirement_id,
            submitted_at=now,
        )
        event = new_event(
            type=EVIDENCE_SUBMITTED,
            source=SOURCE,
            key=partition_key(institution, staff_id),
            subject=evidence_id,
            data=payload.model_dump(mode="json", exclude_none=True),
        )
        return await self.documents.insert(COLLECTION, add_to_outbox(record, topics.EVIDENCE, event))

    async def get(self, evidence_id: str) -> Document | None:
        return await self.documents.get(COLLECTION, evidence_id)
