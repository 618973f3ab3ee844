"""Who may review a piece of evidence, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Decision = Literal["approved", "rejected"]
SUBMITTED = "submitted"


class ReviewRefused(Exception):
    """The review breaks a rule; `reason` says which (`own-evidence` or `already-reviewed`)."""

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


def missing_for_decision(decision: Decision, comment: str | None) -> str | None:
    """Why the review is incomplete, or None: an approval may stand alone, a rejection tells the owner why."""
    if decision == "rejected" and not comment:
        return "a rejection needs a `comment`: tell the staff member why, and what to change before submitting again"
    return None


def check_review_allowed(evidence: dict[str, Any], reviewer: str) -> None:
    # Nobody signs off their own work, whatever roles they hold.
    if evidence["staff_id"] == reviewer:
        raise ReviewRefused("own-evidence", "you cannot review your own evidence; ask another coach")
    if evidence.get("status") != SUBMITTED:
        raise ReviewRefused("already-reviewed", f"this evidence was already reviewed ({evidence.get('status')})")


def check_file_replaceable(evidence: dict[str, Any]) -> None:
    # A reviewed file is what the coach saw: replacing it would change approved evidence behind the coach's back.
    if evidence.get("status") != SUBMITTED:
        raise ReviewRefused("already-reviewed", "the evidence was reviewed; its file can no longer be replaced")
