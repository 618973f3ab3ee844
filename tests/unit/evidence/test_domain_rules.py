"""The evidence service's rules on their own: what makes two HR pushes the same, who may review what."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from rexvet_evidence.domain.hr_event import HrEventIn, hr_record_id
from rexvet_evidence.domain.review import ReviewRefused, check_file_replaceable, check_review_allowed

pytestmark = pytest.mark.unit


def pushed(**overrides: Any) -> HrEventIn:
    body = {"id": "A-1", "type": "role.changed", "staff_id": "s-1", "occurred_at": "2026-02-01T12:00:00+01:00"}
    return HrEventIn.model_validate({**body, **overrides})


def test_the_same_instant_in_another_offset_is_the_same_content() -> None:
    assert pushed().fingerprint() == pushed(occurred_at="2026-02-01T11:00:00Z").fingerprint()
    assert pushed().fingerprint() != pushed(occurred_at="2026-02-01T12:00:00Z").fingerprint()


def test_field_order_does_not_matter_but_values_do() -> None:
    assert pushed(fields={"a": 1, "b": 2}).fingerprint() == pushed(fields={"b": 2, "a": 1}).fingerprint()
    assert pushed(fields={"a": 1}).fingerprint() != pushed(fields={"a": "1"}).fingerprint()


def test_record_ids_cannot_collide_across_institutions() -> None:
    assert hr_record_id("a:b", "c") != hr_record_id("a", "b:c")
    assert hr_record_id("omnia", "A-1") == hr_record_id("omnia", "A-1")


@pytest.mark.parametrize("hr_type", ["staff.joined", "guest.hosted", "x.y_z.v2"])
def test_any_dotted_lowercase_type_is_accepted(hr_type: str) -> None:
    assert pushed(type=hr_type).type == hr_type


@pytest.mark.parametrize("hr_type", ["staff", "Staff.Joined", "staff..joined", ".staff", "staff.joined.", "a b.c"])
def test_other_types_are_refused(hr_type: str) -> None:
    with pytest.raises(ValidationError):
        pushed(type=hr_type)


def test_oversized_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="at most"):
        pushed(fields={"notes": "x" * 40_000})


def test_review_rules() -> None:
    submitted = {"staff_id": "alice", "status": "submitted"}
    check_review_allowed(submitted, "carol")
    with pytest.raises(ReviewRefused) as own:
        check_review_allowed(submitted, "alice")
    assert own.value.reason == "own-evidence"
    with pytest.raises(ReviewRefused) as twice:
        check_review_allowed({**submitted, "status": "rejected"}, "carol")
    assert twice.value.reason == "already-reviewed"
    check_file_replaceable(submitted)
    with pytest.raises(ReviewRefused):
        check_file_replaceable({**submitted, "status": "approved"})
