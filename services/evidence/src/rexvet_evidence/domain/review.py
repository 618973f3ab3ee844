"""The life of a piece of evidence: who may review it, who may resubmit it, and when.

    submitted --approved--> approved      (final)
    submitted --rejected--> rejected      (final)
    submitted --returned--> returned --resubmitted--> submitted  (and round again)

Every review and every submission stays in the record (`reviews`, `submissions`), oldest first; `review` is the
latest review and `title`/`description`/`url` are the latest submission's, so readers of the first version of the
record see what they always saw. Records written before the history existed have neither list; `reviews_of` and
`submissions_of` read them as a history of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Decision = Literal["approved", "returned", "rejected"]
SUBMITTED = "submitted"
RETURNED = "returned"
Status = Literal["submitted", "returned", "approved", "rejected"]


class ReviewRefused(Exception):
    """The change breaks a rule; `reason` says which: `own-evidence`, `already-reviewed`, `not-owner`,
    `not-returned` or `final`."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Review:
    decision: Decision
    comment: str | None
    reviewer: str
    reviewed_at: datetime
    narrative: str | None = None
    url: str | None = None

    def as_record(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "comment": self.comment,
            "reviewer": self.reviewer,
            "narrative": self.narrative,
            "url": self.url,
            "reviewed_at": self.reviewed_at.isoformat(),
        }


@dataclass(frozen=True)
class Resubmission:
    """The owner's answer to a return: what changed (None keeps the previous value) and when."""

    staff_id: str
    resubmitted_at: datetime
    title: str | None = None
    description: str | None = None
    url: str | None = None


def missing_for_decision(decision: Decision, comment: str | None) -> str | None:
    """Why the review is incomplete, or None: an approval may stand alone; a return or a rejection tells the owner
    why."""
    if decision == "rejected" and not comment:
        return "a rejection needs a `comment`: tell the staff member why, and what to change before submitting again"
    if decision == "returned" and not comment:
        return "a return for revision needs a `comment`: tell the staff member what to change before resubmitting"
    return None


def check_review_allowed(evidence: dict[str, Any], reviewer: str) -> None:
    # Nobody signs off their own work, whatever roles they hold.
    if evidence["staff_id"] == reviewer:
        raise ReviewRefused("own-evidence", "you cannot review your own evidence; ask another coach")
    status = evidence.get("status")
    if status == RETURNED:
        raise ReviewRefused(
            "already-reviewed",
            "this evidence was returned for revision; it can be reviewed again once its owner resubmits it",
        )
    if status != SUBMITTED:
        raise ReviewRefused("already-reviewed", f"this evidence was already reviewed ({status})")


def check_file_replaceable(evidence: dict[str, Any]) -> None:
    # A reviewed file is what the coach saw: replacing it would change approved evidence behind the coach's back.
    # A returned one is the owner's to revise, before resubmitting it.
    if evidence.get("status") not in (SUBMITTED, RETURNED):
        raise ReviewRefused("already-reviewed", "the evidence was reviewed; its file can no longer be replaced")


def check_resubmission_allowed(evidence: dict[str, Any], staff_id: str) -> None:
    if evidence["staff_id"] != staff_id:
        raise ReviewRefused("not-owner", "only the staff member who submitted the evidence may resubmit it")
    status = evidence.get("status")
    if status == SUBMITTED:
        raise ReviewRefused("not-returned", "this evidence is already waiting for review; there is nothing to resubmit")
    if status != RETURNED:
        raise ReviewRefused(
            "final", f"this evidence was {status}, which is final; submit new evidence with POST /v1/evidence instead"
        )


def reviews_of(evidence: dict[str, Any]) -> list[dict[str, Any]]:
    if "reviews" in evidence:
        return list(evidence["reviews"])
    return [evidence["review"]] if evidence.get("review") else []


def submissions_of(evidence: dict[str, Any]) -> list[dict[str, Any]]:
    if "submissions" in evidence:
        return list(evidence["submissions"])
    return [_submission_entry(evidence, number=1, submitted_at=evidence["submitted_at"])]


def reviewed(evidence: dict[str, Any], review: Review) -> dict[str, Any]:
    """The evidence after `review`; `ReviewRefused` when the rules forbid it."""
    check_review_allowed(evidence, review.reviewer)
    submissions = submissions_of(evidence)
    file = evidence.get("file")
    entry = {
        **review.as_record(),
        # Which submission, and which file, the coach judged: the file may be replaced while the evidence is returned.
        "submission": submissions[-1]["number"],
        "file_sha256": file["sha256"] if file else None,
    }
    return {
        **evidence,
        "status": review.decision,
        "review": entry,
        "reviews": [*reviews_of(evidence), entry],
        "submissions": submissions,
    }


def resubmitted(evidence: dict[str, Any], resubmission: Resubmission) -> dict[str, Any]:
    """The evidence back in the queue after its owner revised it; `ReviewRefused` when it was not returned to them.

    `submitted_at` stays the first submission's time, so the coach's queue (oldest first) puts a resubmission ahead
    of evidence that has waited less long; each submission's own time is in `submissions`.
    """
    check_resubmission_allowed(evidence, resubmission.staff_id)
    submissions = submissions_of(evidence)
    revised = {
        **evidence,
        "title": resubmission.title if resubmission.title is not None else evidence.get("title"),
        "description": resubmission.description
        if resubmission.description is not None
        else evidence.get("description"),
        "url": resubmission.url if resubmission.url is not None else evidence.get("url"),
        "status": SUBMITTED,
    }
    entry = _submission_entry(
        revised, number=submissions[-1]["number"] + 1, submitted_at=resubmission.resubmitted_at.isoformat()
    )
    return {**revised, "reviews": reviews_of(evidence), "submissions": [*submissions, entry]}


def _submission_entry(evidence: dict[str, Any], *, number: int, submitted_at: str) -> dict[str, Any]:
    return {
        "number": number,
        "submitted_at": submitted_at,
        "title": evidence.get("title"),
        "description": evidence.get("description"),
        "url": evidence.get("url"),
    }
