"""The coach's queue as the domain builds it: their coachees' work only, oldest evidence first, the counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rexvet_portal.domain.coaching import (
    Coachee,
    EvidenceRecord,
    PendingSignOff,
    Submission,
    coach_queue,
    queue_counts,
)
from rexvet_portal.domain.pathway import EvidenceItem

pytestmark = pytest.mark.unit


def evidence(evidence_id: str, staff_id: str, *sent_days: int, status: str = "submitted") -> EvidenceRecord:
    submissions = tuple(
        Submission(number, datetime(2026, 11, day, tzinfo=UTC), None, None)
        for number, day in enumerate(sent_days, start=1)
    )
    item = EvidenceItem(
        evidence_id, f"title {evidence_id}", None, "abroad-rookie", "mobility", status,
        submissions[0].submitted_at, None, None,
    )  # fmt: skip
    return EvidenceRecord(item, staff_id, submissions, ())


COACHEES = [Coachee("alice", "Alice Virtanen", 1), Coachee("bob", None, 0)]
ASKED = datetime(2026, 11, 15, tzinfo=UTC)
STEP = PendingSignOff(
    "alice", "Alice Virtanen", "e1", "abroad-rookie", "Abroad Rookie", "coach-debrief", "Debrief", requested_at=ASKED
)
NOT_ASKED = PendingSignOff("bob", None, "e2", "home-rookie", "Home Rookie", "coach-talk", "Talk")


def test_steps_and_evidence_come_merged_longest_waiting_first_and_only_the_coachees() -> None:
    queue = coach_queue(
        COACHEES,
        [NOT_ASKED, STEP],
        [
            evidence("new", "alice", 20),
            evidence("resent", "bob", 1, 25),  # first sent long ago, but resent last: it waits since the 25th
            evidence("old", "alice", 10),
            evidence("stranger", "zoe", 2),  # not the coach's coachee
            evidence("done", "alice", 3, status="approved"),
        ],
    )
    order = [(e.evidence.item.id if e.evidence else e.sign_off.step_id if e.sign_off else "") for e in queue.entries]
    # the 10th, the step asked on the 15th, the 20th, the 25th; the step not asked for yet last
    assert order == ["old", "coach-debrief", "new", "resent", "coach-talk"]
    assert [e.since for e in queue.entries][1] == ASKED and queue.entries[-1].since is None
    assert [e.name for e in queue.entries] == ["Alice Virtanen", "Alice Virtanen", "Alice Virtanen", "bob", "bob"]
    assert (queue.sign_offs, queue.reviews) == (2, 3)


def test_the_counts_agree_with_the_queue_without_listing_the_steps() -> None:
    records = [evidence("a", "alice", 1), evidence("b", "zoe", 2), evidence("c", "bob", 3, status="returned")]
    counts = queue_counts(COACHEES, records)
    queue = coach_queue(COACHEES, [STEP], records)
    assert (counts.sign_offs, counts.reviews) == (queue.sign_offs, queue.reviews) == (1, 1)
