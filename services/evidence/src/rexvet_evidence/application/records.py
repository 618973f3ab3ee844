"""Evidence records: what a staff member submitted, stored with the event that announces it (transactional outbox).

The record and its event (`evidence.submitted`, `.reviewed`, `.returned`, `.resubmitted`) are written as one
document, so either both exist or neither; the outbox relay publishes the event afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rexvet_common.errors import DocumentNotFoundError, VersionConflictError
from rexvet_common.events import topics
from rexvet_common.events.catalogue import (
    EVIDENCE_RESUBMITTED,
    EVIDENCE_RETURNED,
    EVIDENCE_REVIEWED,
    EVIDENCE_SUBMITTED,
    EvidenceResubmitted,
    EvidenceReturned,
    EvidenceReviewed,
    EvidenceSubmitted,
    Payload,
)
from rexvet_common.events.envelope import partition_key
from rexvet_common.messaging.outbox import OUTBOX_INDEX
from rexvet_common.messaging.producer import EventProducer
from rexvet_common.ports.document_store import Document, DocumentStore, Index, Page, Scalar, SortOrder
from rexvet_evidence.domain.review import Resubmission, Review, resubmitted, reviewed, submissions_of

COLLECTION = "evidence"
INDEXES = (
    Index(("institution", "staff_id")),
    Index(("institution", "status", "submitted_at")),
    OUTBOX_INDEX,
)
EVIDENCE_EVENTS = EventProducer(source="rexvet/evidence", topic=topics.EVIDENCE)
MAX_CAS_ATTEMPTS = 20
FEW_STAFF = 20  # up to this many people, one indexed query each beats one pass over the institution's queue


class EvidenceGone(Exception):
    """The evidence was deleted while it was being changed."""


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
            "reviews": [],
        }
        record["submissions"] = submissions_of(record)
        payload = EvidenceSubmitted(
            institution=institution,
            staff_id=staff_id,
            evidence_id=evidence_id,
            title=submission.title,
            badge_id=submission.badge_id,
            requirement_id=submission.requirement_id,
            submitted_at=now,
        )
        key = partition_key(institution, staff_id)
        announced = EVIDENCE_EVENTS.announce(record, EVIDENCE_SUBMITTED, key=key, subject=evidence_id, payload=payload)
        return await self.documents.insert(COLLECTION, announced)

    async def get(self, evidence_id: str) -> Document | None:
        return await self.documents.get(COLLECTION, evidence_id)

    async def page(
        self,
        *,
        institution: str,
        staff_id: str | None = None,
        status: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        where: dict[str, Scalar] = {"institution": institution}
        if staff_id is not None:
            where["staff_id"] = staff_id
        if status is not None:
            where["status"] = status
        # Oldest first: a coach's queue is worked through in the order it was filled.
        return await self.documents.find(
            COLLECTION, where, sort=[("submitted_at", SortOrder.ASCENDING)], limit=limit, cursor=cursor
        )

    async def waiting_for_review(self, *, institution: str, staff_ids: Collection[str]) -> list[Document]:
        """These staff members' evidence waiting for a review, the longest waiting first (by its latest submission).

        The store matches one value per field, so a few people are read one by one through their index; many (a
        coach with a large group) in one pass over the institution's waiting evidence, kept when it is theirs.
        """
        wanted = set(staff_ids)
        if len(wanted) <= FEW_STAFF:
            found = [
                document
                for staff_id in sorted(wanted)
                for document in await self._all(
                    {"institution": institution, "staff_id": staff_id, "status": "submitted"}
                )
            ]
        else:
            waiting = await self._all({"institution": institution, "status": "submitted"})
            found = [document for document in waiting if document["staff_id"] in wanted]
        return sorted(found, key=lambda document: (_waiting_since(document), document["_id"]))

    async def _all(self, where: dict[str, Scalar]) -> list[Document]:
        documents: list[Document] = []
        cursor: str | None = None
        while True:
            page = await self.documents.find(COLLECTION, where, limit=500, cursor=cursor)
            documents += page.items
            if page.next_cursor is None:
                return documents
            cursor = page.next_cursor

    async def review(self, evidence_id: str, review: Review) -> Document:
        """Record the review and its event in one write; `ReviewRefused` when a rule forbids it.

        An approval or a rejection is announced as `evidence.reviewed`, a return for revision as `evidence.returned`.
        The rules are checked again on every compare-and-swap retry, so two coaches reviewing at once cannot both
        succeed: the second finds the evidence reviewed.
        """

        def change(current: Document) -> Document:
            updated = reviewed(current, review)
            if review.decision == "returned":
                return self._announce(updated, EVIDENCE_RETURNED, _returned_payload(updated, review))
            return self._announce(updated, EVIDENCE_REVIEWED, _reviewed_payload(updated, review))

        return await self.update(evidence_id, change)

    async def resubmit(self, evidence_id: str, resubmission: Resubmission) -> Document:
        """Put returned evidence back in the queue with its `evidence.resubmitted` event; `ReviewRefused` otherwise."""

        def change(current: Document) -> Document:
            updated = resubmitted(current, resubmission)
            return self._announce(updated, EVIDENCE_RESUBMITTED, _resubmitted_payload(updated, resubmission))

        return await self.update(evidence_id, change)

    @staticmethod
    def _announce(updated: Document, event_type: str, payload: Payload) -> Document:
        key = partition_key(updated["institution"], updated["staff_id"])
        return EVIDENCE_EVENTS.announce(updated, event_type, key=key, subject=updated["_id"], payload=payload)

    async def update(self, evidence_id: str, change: Callable[[Document], Document]) -> Document:
        """Compare-and-swap `change` onto the stored evidence, re-reading on conflict; `EvidenceGone` if deleted.

        `change` may raise to refuse; it may be called more than once, so it must have no other effect.
        """
        for _ in range(MAX_CAS_ATTEMPTS):
            current = await self.documents.get(COLLECTION, evidence_id)
            if current is None:
                raise EvidenceGone(evidence_id)
            try:
                return await self.documents.replace(COLLECTION, change(current))
            except VersionConflictError:
                continue
            except DocumentNotFoundError as exc:
                raise EvidenceGone(evidence_id) from exc
        raise VersionConflictError(f"evidence {evidence_id!r} kept changing; try again")


def _waiting_since(evidence: Document) -> datetime:
    """When it was last sent for review: its latest (re)submission."""
    return datetime.fromisoformat(submissions_of(evidence)[-1]["submitted_at"])


def _about(evidence: Document) -> dict[str, Any]:
    """What every event of a review names: whose evidence it is, and what it was submitted for."""
    return {
        "institution": evidence["institution"],
        "staff_id": evidence["staff_id"],
        "evidence_id": evidence["_id"],
        "badge_id": evidence.get("badge_id"),
        "requirement_id": evidence.get("requirement_id"),
    }


def _reviewed_payload(evidence: Document, review: Review) -> EvidenceReviewed:
    if review.decision == "returned":  # announced as evidence.returned: reviewed.v1 knows two decisions only
        raise ValueError("a return for revision is not an evidence.reviewed event")
    return EvidenceReviewed(
        **_about(evidence),
        decision=review.decision,
        reviewer=review.reviewer,
        narrative=review.narrative,
        # The owner's own public link, unless the coach named a better one; never the private file.
        url=review.url or evidence.get("url"),
        submission=evidence["review"]["submission"],
        reviewed_at=review.reviewed_at,
    )


def _returned_payload(evidence: Document, review: Review) -> EvidenceReturned:
    assert review.comment is not None  # the API refuses a return without one
    return EvidenceReturned(
        **_about(evidence),
        reviewer=review.reviewer,
        comment=review.comment,
        submission=evidence["review"]["submission"],
        returned_at=review.reviewed_at,
    )


def _resubmitted_payload(evidence: Document, resubmission: Resubmission) -> EvidenceResubmitted:
    file = evidence.get("file")
    return EvidenceResubmitted(
        **_about(evidence),
        title=evidence["title"],
        submission=evidence["submissions"][-1]["number"],
        blob_sha256=file["sha256"] if file else None,
        resubmitted_at=resubmission.resubmitted_at,
    )
