"""The evidence state machine on its own: return for revision, resubmission, and the history both leave behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rexvet_evidence.domain.review import (
    Decision,
    Resubmission,
    Review,
    ReviewRefused,
    check_file_replaceable,
    missing_for_decision,
    resubmitted,
    reviewed,
    reviews_of,
    submissions_of,
)

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fresh() -> dict[str, Any]:
    return {
        "_id": "ev-1",
        "institution": "omnia",
        "staff_id": "alice",
        "title": "Job shadowing in Tallinn",
        "description": "Two weeks",
        "url": None,
        "status": "submitted",
        "submitted_at": T0.isoformat(),
    }


def review(decision: Decision, reviewer: str = "carol", minutes: int = 10, comment: str | None = "x") -> Review:
    return Review(decision=decision, comment=comment, reviewer=reviewer, reviewed_at=T0 + timedelta(minutes=minutes))


def again(minutes: int = 20, **changes: str) -> Resubmission:
    return Resubmission(staff_id="alice", resubmitted_at=T0 + timedelta(minutes=minutes), **changes)


def test_returned_then_resubmitted_then_approved_keeps_every_step() -> None:
    returned = reviewed(fresh(), review("returned", comment="Add the host school's letter"))
    assert returned["status"] == "returned"
    back = resubmitted(returned, again(description="Two weeks; the host's letter is attached"))
    assert back["status"] == "submitted"
    assert back["description"] == "Two weeks; the host's letter is attached"
    assert back["title"] == "Job shadowing in Tallinn"  # not named, so kept
    assert back["submitted_at"] == T0.isoformat()  # the queue's order: first submitted
    approved = reviewed(back, review("approved", reviewer="dave", minutes=30, comment=None))

    assert approved["status"] == "approved"
    assert approved["review"]["reviewer"] == "dave"
    assert [(r["decision"], r["reviewer"], r["submission"]) for r in approved["reviews"]] == [
        ("returned", "carol", 1),
        ("approved", "dave", 2),
    ]
    assert approved["reviews"][0]["comment"] == "Add the host school's letter"
    assert [(s["number"], s["description"]) for s in approved["submissions"]] == [
        (1, "Two weeks"),
        (2, "Two weeks; the host's letter is attached"),
    ]
    assert approved["submissions"][1]["submitted_at"] == (T0 + timedelta(minutes=20)).isoformat()


def test_returned_evidence_cannot_be_approved_or_rejected_before_it_is_resubmitted() -> None:
    returned = reviewed(fresh(), review("returned"))
    for decision in ("approved", "rejected", "returned"):
        with pytest.raises(ReviewRefused) as refused:
            reviewed(returned, review(decision, reviewer="dave"))
        assert refused.value.reason == "already-reviewed"
        assert "resubmits" in str(refused.value)


@pytest.mark.parametrize("final", ["approved", "rejected"])
def test_approved_and_rejected_stay_final(final: Decision) -> None:
    done = reviewed(fresh(), review(final))
    with pytest.raises(ReviewRefused) as refused:
        resubmitted(done, again())
    assert refused.value.reason == "final"
    with pytest.raises(ReviewRefused):
        reviewed(done, review("returned", reviewer="dave"))
    with pytest.raises(ReviewRefused):
        check_file_replaceable(done)


def test_only_the_owner_resubmits_and_only_what_was_returned() -> None:
    with pytest.raises(ReviewRefused) as waiting:
        resubmitted(fresh(), again())
    assert waiting.value.reason == "not-returned"
    returned = reviewed(fresh(), review("returned"))
    with pytest.raises(ReviewRefused) as stranger:
        resubmitted(returned, Resubmission(staff_id="bob", resubmitted_at=T0))
    assert stranger.value.reason == "not-owner"


def test_the_owner_still_cannot_review_their_own_resubmission() -> None:
    back = resubmitted(reviewed(fresh(), review("returned")), again())
    with pytest.raises(ReviewRefused) as own:
        reviewed(back, review("approved", reviewer="alice"))
    assert own.value.reason == "own-evidence"


def test_a_returned_file_may_be_replaced_before_resubmitting() -> None:
    check_file_replaceable(reviewed(fresh(), review("returned")))


def test_the_review_names_the_file_the_coach_saw() -> None:
    with_file = {**fresh(), "file": {"key": "k", "sha256": "ab" * 32, "size": 3}}
    assert reviewed(with_file, review("returned"))["review"]["file_sha256"] == "ab" * 32
    assert reviewed(fresh(), review("returned"))["review"]["file_sha256"] is None


def test_a_return_or_rejection_needs_a_comment_an_approval_does_not() -> None:
    assert missing_for_decision("approved", None) is None
    assert "return for revision needs a `comment`" in (missing_for_decision("returned", None) or "")
    assert "rejection needs a `comment`" in (missing_for_decision("rejected", "") or "")
    assert missing_for_decision("returned", "Add the letter") is None


def test_records_from_before_the_history_read_as_a_history_of_one() -> None:
    old_review = {"decision": "approved", "comment": None, "reviewer": "carol", "reviewed_at": T0.isoformat()}
    old = {**fresh(), "status": "approved", "review": old_review}
    assert reviews_of(old) == [old_review]
    assert reviews_of(fresh()) == []
    [first] = submissions_of(old)
    assert (first["number"], first["submitted_at"], first["title"]) == (1, T0.isoformat(), "Job shadowing in Tallinn")
