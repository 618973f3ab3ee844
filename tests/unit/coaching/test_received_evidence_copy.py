"""The evidence copy's rule: only a later (submission, step) moves it, so late or repeated events undo nothing."""

from __future__ import annotations

import pytest

from rexvet_coaching.domain import received_evidence as copies

pytestmark = pytest.mark.unit

FIRST = {"_id": "ev-1", "status": "submitted", "submissions": 1, "_stage": [1, 0], "title": "Plan"}


def test_a_review_moves_a_submitted_copy() -> None:
    after = copies.moved(FIRST, copies.reviewed("approved", 1))
    assert after == {**FIRST, "status": "approved", "_stage": [1, 1]}


def test_a_review_that_names_no_submission_is_about_the_first() -> None:
    assert copies.reviewed("rejected", None).stage == (1, 1)


def test_a_late_or_repeated_event_changes_nothing() -> None:
    returned = copies.moved(FIRST, copies.returned(1))
    assert returned is not None
    again = copies.moved(returned, copies.resubmitted(2, "Plan, revised"))
    assert again is not None and again["title"] == "Plan, revised" and again["submissions"] == 2
    assert copies.moved(again, copies.returned(1)) is None
    assert copies.moved(again, copies.resubmitted(2, "Plan, revised")) is None


def test_a_copy_without_a_stage_shows_its_first_submission() -> None:
    legacy = {key: value for key, value in FIRST.items() if key != "_stage"}
    assert copies.moved(legacy, copies.resubmitted(1, "Plan")) is None
    assert copies.moved(legacy, copies.reviewed("approved", 1)) is not None
