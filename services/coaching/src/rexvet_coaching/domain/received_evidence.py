"""Coaching's copy of an evidence submission: which later event may move it, and to what.

Evidence events arrive at least once and a redelivery can come after a newer event, so each copy remembers the
latest stage it shows, `(submission, step)` with step 0 submitted and 1 reviewed, and only a later stage moves it:
a late duplicate of an older event never undoes a newer state. Only an approval counts for a badge, and that is the
staff record's business (`reactions.evidence_reviewed`), not this copy's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUBMITTED_STEP = 0
REVIEWED_STEP = 1
# A copy written before stages were kept shows its first submission, not yet reviewed.
FIRST_STAGE = (1, SUBMITTED_STEP)


@dataclass(frozen=True)
class Move:
    """The state an evidence event gives the copy: its status, at the stage the event is about."""

    status: str
    submission: int
    step: int
    title: str | None = None  # a resubmission may retitle the evidence

    @property
    def stage(self) -> tuple[int, int]:
        return (self.submission, self.step)


def reviewed(decision: str, submission: int | None) -> Move:
    # Older events name no submission: they can only be about the first.
    return Move(decision, submission or 1, REVIEWED_STEP)


def returned(submission: int) -> Move:
    return Move("returned", submission, REVIEWED_STEP)


def resubmitted(submission: int, title: str) -> Move:
    return Move("submitted", submission, SUBMITTED_STEP, title=title)


def moved(copy: dict[str, Any], move: Move) -> dict[str, Any] | None:
    """The copy after `move`, or None when the copy already shows that stage or a later one."""
    if move.stage <= tuple(copy.get("_stage") or FIRST_STAGE):
        return None
    after = {**copy, "status": move.status, "submissions": move.submission, "_stage": list(move.stage)}
    if move.title is not None:
        after["title"] = move.title
    return after
