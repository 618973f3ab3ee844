"""The walking skeleton's consumer: coaching keeps its own copy of each evidence submission it hears about.

The record's `_id` is the evidence id, so a redelivered event (at-least-once delivery) finds the record already there
and has no second effect; the event id is kept to show which event created it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from rexvet_common.errors import DuplicateKeyError
from rexvet_common.events.catalogue import EvidenceSubmitted
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.document_store import DocumentStore, Index, Page

log = logging.getLogger(__name__)

COLLECTION = "received_evidence"
INDEXES = (Index(("institution", "staff_id")),)
EVIDENCE_SUBMITTED = "org.rexvet.evidence.submitted.v1"


class ReceivedEvidence:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def handle(self, event: CloudEvent) -> None:
        """Bus handler for the evidence topic; other event types on it are not this consumer's concern."""
        if event.type != EVIDENCE_SUBMITTED:
            return
        payload = EvidenceSubmitted.model_validate(event.data)
        record: dict[str, Any] = {
            "_id": payload.evidence_id,
            "institution": payload.institution,
            "staff_id": payload.staff_id,
            "title": payload.title,
            "badge_id": payload.badge_id,
            "requirement_id": payload.requirement_id,
            "submitted_at": payload.submitted_at.isoformat(),
            "received_at": datetime.now(UTC).isoformat(),
            "event_id": event.id,
        }
        try:
            await self.documents.insert(COLLECTION, record)
        except DuplicateKeyError:
            log.info("evidence already recorded", extra={"evidence_id": payload.evidence_id, "event_id": event.id})

    async def for_staff(self, institution: str, staff_id: str, *, limit: int, cursor: str | None) -> Page:
        return await self.documents.find(
            COLLECTION,
            {"institution": institution, "staff_id": staff_id},
            limit=limit,
            cursor=cursor,
        )
