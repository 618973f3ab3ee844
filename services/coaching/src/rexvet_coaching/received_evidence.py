"""The walking skeleton's consumer: coaching keeps its own copy of each evidence submission it hears about.

The record's `_id` is the evidence id, so a redelivered event (at-least-once delivery) finds the record already there
and has no second effect; the event id is kept to show which event created it. Reviews, returns for revision and
resubmissions move the copy's `status` (what the pathway shows as still waiting, or back with its owner); each such
event names the submission it is about, so a late duplicate of an older one never undoes a newer state. Only an
approval counts for a badge, and that is the staff record's business (`reactions.evidence_reviewed`), not this copy's.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from rexvet_common.errors import DuplicateKeyError, VersionConflictError
from rexvet_common.events.catalogue import (
    EvidenceResubmitted,
    EvidenceReturned,
    EvidenceReviewed,
    EvidenceSubmitted,
)
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.document_store import DocumentStore, Index, Page

log = logging.getLogger(__name__)

COLLECTION = "received_evidence"
INDEXES = (Index(("institution", "staff_id")),)
EVIDENCE_SUBMITTED = "org.rexvet.evidence.submitted.v1"
EVIDENCE_REVIEWED = "org.rexvet.evidence.reviewed.v1"
EVIDENCE_RETURNED = "org.rexvet.evidence.returned.v1"
EVIDENCE_RESUBMITTED = "org.rexvet.evidence.resubmitted.v1"
MAX_CAS_ATTEMPTS = 20


class ReceivedEvidence:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def handle(self, event: CloudEvent) -> None:
        """Bus handler for the evidence topic; other event types on it are not this consumer's concern."""
        if event.type == EVIDENCE_SUBMITTED:
            await self._submitted(event)
        elif event.type == EVIDENCE_REVIEWED:
            reviewed = EvidenceReviewed.model_validate(event.data)
            # Older events name no submission: they can only be about the first.
            await self._move(reviewed.evidence_id, reviewed.institution, reviewed.decision, reviewed.submission or 1, 1)
        elif event.type == EVIDENCE_RETURNED:
            returned = EvidenceReturned.model_validate(event.data)
            await self._move(returned.evidence_id, returned.institution, "returned", returned.submission, 1)
        elif event.type == EVIDENCE_RESUBMITTED:
            again = EvidenceResubmitted.model_validate(event.data)
            await self._move(again.evidence_id, again.institution, "submitted", again.submission, 0, title=again.title)

    async def _submitted(self, event: CloudEvent) -> None:
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
            "status": "submitted",
            "submissions": 1,
            "_stage": [1, 0],
        }
        try:
            await self.documents.insert(COLLECTION, record)
        except DuplicateKeyError:
            log.info("evidence already recorded", extra={"evidence_id": payload.evidence_id, "event_id": event.id})

    async def _move(
        self, evidence_id: str, institution: str, status: str, submission: int, step: int, title: str | None = None
    ) -> None:
        """Set the copy's status if (submission, step) is later than what it shows: step 0 submitted, 1 reviewed."""
        for _ in range(MAX_CAS_ATTEMPTS):
            current = await self.documents.get(COLLECTION, evidence_id)
            if current is None or current["institution"] != institution:
                # Submitted before coaching listened, or erased: there is no copy to move.
                log.info("no copy of this evidence", extra={"evidence_id": evidence_id})
                return
            if (submission, step) <= tuple(current.get("_stage") or (1, 0)):
                return
            moved = {**current, "status": status, "submissions": submission, "_stage": [submission, step]}
            if title is not None:
                moved["title"] = title
            try:
                await self.documents.replace(COLLECTION, moved)
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
