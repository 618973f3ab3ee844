"""What a coach works through: their coachees, the steps waiting for their sign-off, the evidence waiting for their
review, merged into one queue, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rexvet_portal.domain.ladder import Standing
from rexvet_portal.domain.pathway import Enrolment, EvidenceItem


@dataclass(frozen=True)
class Coachee:
    staff_id: str
    display_name: str | None
    pending_sign_offs: int

    @property
    def name(self) -> str:
        """The name from the people directory; the id when it has none (an erased person keeps only the id)."""
        return self.display_name or self.staff_id


@dataclass(frozen=True)
class PendingSignOff:
    staff_id: str
    display_name: str | None
    enrolment_id: str
    badge_id: str
    badge_title: str
    step_id: str
    step_title: str
    requested_at: datetime | None = None  # None: the staff member's steps before it are still open


@dataclass(frozen=True)
class CoacheeDetail:
    """One coachee's ladder and pathways, when the queue was asked for them (their page)."""

    standing: Standing
    enrolments: list[Enrolment]


@dataclass(frozen=True)
class CoachingQueue:
    """Coaching's part of the queue, in one answer: the coachees (names, waiting sign-offs) and their steps."""

    coachees: list[Coachee]
    sign_offs: list[PendingSignOff]
    coachee: CoacheeDetail | None = None

    def name_of(self, staff_id: str) -> str:
        return next((c.name for c in self.coachees if c.staff_id == staff_id), staff_id)

    @property
    def staff_ids(self) -> list[str]:
        return [coachee.staff_id for coachee in self.coachees]


@dataclass(frozen=True)
class Submission:
    number: int
    submitted_at: datetime | None
    title: str | None
    description: str | None


@dataclass(frozen=True)
class PastReview:
    decision: str  # approved, returned, rejected
    comment: str | None
    reviewer: str
    reviewed_at: datetime | None
    submission: int | None


@dataclass(frozen=True)
class EvidenceRecord:
    """One piece of evidence as its reviewer sees it: whose it is, and its whole history."""

    item: EvidenceItem
    staff_id: str
    submissions: tuple[Submission, ...]
    reviews: tuple[PastReview, ...]

    @property
    def waiting_since(self) -> datetime | None:
        """When it was last sent for review: the latest (re)submission, else its first submission."""
        latest = self.submissions[-1].submitted_at if self.submissions else None
        return latest or self.item.submitted_at

    @property
    def reviewable(self) -> bool:
        return self.item.status == "submitted"


@dataclass(frozen=True)
class QueueEntry:
    """One thing waiting for the coach: a step to sign off, or evidence to review."""

    staff_id: str
    name: str
    since: datetime | None  # a step's sign-off request, evidence's latest submission; None: a step not asked yet
    sign_off: PendingSignOff | None = None
    evidence: EvidenceRecord | None = None


@dataclass(frozen=True)
class CoachQueue:
    entries: tuple[QueueEntry, ...]

    @property
    def sign_offs(self) -> int:
        return sum(1 for entry in self.entries if entry.sign_off is not None)

    @property
    def reviews(self) -> int:
        return sum(1 for entry in self.entries if entry.evidence is not None)


@dataclass(frozen=True)
class QueueCounts:
    """What the navigation shows a coach on every coach page."""

    sign_offs: int
    reviews: int


def queue_counts(coachees: list[Coachee], evidence: list[EvidenceRecord]) -> QueueCounts:
    """The counts without the list of steps: coaching counts each coachee's waiting sign-offs already."""
    mine = {coachee.staff_id for coachee in coachees}
    return QueueCounts(
        sign_offs=sum(coachee.pending_sign_offs for coachee in coachees),
        reviews=sum(1 for record in evidence if record.staff_id in mine and record.reviewable),
    )


def coach_queue(coachees: list[Coachee], sign_offs: list[PendingSignOff], evidence: list[EvidenceRecord]) -> CoachQueue:
    """The coach's coachees' steps to sign off and evidence to review, merged, the longest waiting first.

    A step waits since its sign-off was asked for (when the staff member closed the steps before it), evidence since
    it was last sent. A step not asked for yet (the staff member's own steps are still open) comes last: the coach
    may sign it off after their talk, but nothing waits on them yet.
    """
    names = {coachee.staff_id: coachee.name for coachee in coachees}
    steps = [
        QueueEntry(
            item.staff_id,
            item.display_name or names.get(item.staff_id, item.staff_id),
            item.requested_at,
            sign_off=item,
        )
        for item in sign_offs
    ]
    reviews = [
        QueueEntry(record.staff_id, names[record.staff_id], record.waiting_since, evidence=record)
        for record in evidence
        if record.staff_id in names and record.reviewable
    ]
    # Stable: entries of the same moment keep coaching's and the evidence service's own order.
    return CoachQueue(tuple(sorted(steps + reviews, key=_longest_waiting_first)))


def _longest_waiting_first(entry: QueueEntry) -> tuple[bool, float]:
    return (entry.since is None, entry.since.timestamp() if entry.since else 0.0)
