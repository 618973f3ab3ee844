"""Coaching's own copy of each evidence submission it hears about, for `GET /v1/staff/{staff_id}/evidence`.

The copy's `_id` is the evidence id, so a redelivered `evidence.submitted` (at-least-once delivery) finds the copy
already there and has no second effect; the event id is kept to show which event created it. Reviews, returns for
revision and resubmissions move the copy's `status` (what the pathway shows as still waiting, or back with its
owner) by the rules of `domain/received_evidence.py`. The consumer group calls these use cases, one per event type.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from rexvet_coaching.domain import received_evidence as copies
from rexvet_common.errors import DuplicateKeyError, VersionConflictError
from rexvet_common.events.catalogue import (
    EvidenceResubmitted,
    EvidenceReturned,
    EvidenceReviewed,
    EvidenceSubmitted,
)
from rexvet_common.ports.document_store import Document, DocumentStore, Index, Page

log = logging.getLogger(__name__)

COLLECTION = "received_evidence"
INDEXES = (Index(("institution", "staff_id")),)
MAX_CAS_ATTEMPTS = 20


class ReceivedEvidence:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def submitted(self, payload: EvidenceSubmitted, *, event_id: str) -> None:
        record: Document = {
            "_id": payload.evidence_id,
            "institution": payload.institution,
            "staff_id": payload.staff_id,
            "title": payload.title,
            "badge_id": payload.badge_id,
            "requirement_id": payload.requirement_id,
            "submitted_at": payload.submitted_at.isoformat(),
            "received_at": datetime.now(UTC).isoformat(),
            "event_id": event_id,
            "status": "submitted",
            "submissions": 1,
            "_stage": list(copies.FIRST_STAGE),
        }
        try:
            await self.documents.insert(COLLECTION, record)
        except DuplicateKeyError:
            log.info("evidence already recorded", extra={"evidence_id": payload.evidence_id, "event_id": event_id})

    async def reviewed(self, payload: EvidenceReviewed) -> None:
        move = copies.reviewed(payload.decision, payload.submission)
        await self._move(payload.evidence_id, payload.institution, move)

    async def returned(self, payload: EvidenceReturned) -> None:
        await self._move(payload.evidence_id, payload.institution, copies.returned(payload.submission))

    async def resubmitted(self, payload: EvidenceResubmitted) -> None:
        move = copies.resubmitted(payload.submission, payload.title)
        await self._move(payload.evidence_id, payload.institution, move)

    async def _move(self, evidence_id: str, institution: str, move: copies.Move) -> None:
        """Write the copy's later state, re-reading on a concurrent write until it holds or is already later."""
        for _ in range(MAX_CAS_ATTEMPTS):
            current = await self.documents.get(COLLECTION, evidence_id)
            if current is None or current["institution"] != institution:
                # Submitted before coaching listened, or erased: there is no copy to move.
                log.info("no copy of this evidence", extra={"evidence_id": evidence_id})
                return
            after = copies.moved(current, move)
            if after is None:
                return
            try:
                await self.documents.replace(COLLECTION, after)
                return
            except VersionConflictError:
                continue
        raise VersionConflictError(f"received evidence {evidence_id!r} kept changing; the bus will retry")

    async def for_staff(self, institution: str, staff_id: str, *, limit: int, cursor: str | None) -> Page:
        return await self.documents.find(
            COLLECTION,
            {"institution": institution, "staff_id": staff_id},
            limit=limit,
            cursor=cursor,
        )
