"""The ladder's plain-words next step, the self-assessment and the manager's summary over time."""

from __future__ import annotations

from typing import Any

import pytest

from rexvet_coaching.domain import pathways, reactions
from rexvet_coaching.domain.errors import InvalidInput, UnknownDirection
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.ladder import ladder_view
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_coaching.domain.questionnaire import assess
from rexvet_coaching.domain.summary import summarise

from .conftest import achievement_for, at

pytestmark = pytest.mark.unit


def _direction(view: dict[str, Any], direction: str) -> dict[str, Any]:
    directions = view["directions"]
    assert isinstance(directions, list)
    found: dict[str, Any] = next(d for d in directions if d["direction"]["id"] == direction)
    return found


def _earn_abroad_rookie(record: StaffRecord, framework: Framework, when: int = 6) -> str:
    enrolment, _ = pathways.enrol(
        record, framework, "abroad-rookie", achievement=achievement_for(framework, "abroad-rookie"), now=at(0)
    )
    reactions.hr_event_accepted(
        record, hr_event_id="hr-1", hr_type="mobility.completed", fields={"duration_days": 5}, occurred_at=at(0)
    )
    pathways.complete_step(record, enrolment.id, "learning-goals", actor=record.staff_id, now=at(1))
    pathways.complete_step(record, enrolment.id, "take-part", actor=record.staff_id, now=at(2))
    (_, eligible) = pathways.sign_off_step(record, enrolment.id, "coach-debrief", coach="c-1", now=at(3))
    reactions.badge_issued(
        record,
        eligibility_id=eligible.data["eligibility_id"],
        badge_id="abroad-rookie",
        episode=1,
        credential_id="urn:uuid:c1",
        issued_at=at(when),
    )
    return enrolment.id


def test_a_newcomer_is_told_where_to_start(framework: Framework, record: StaffRecord) -> None:
    view = ladder_view(record, framework)
    home = _direction(view, "home")
    assert home["level_held"] is None and home["pathway"] is None
    assert home["next_step"] == {
        "action": "enrol",
        "text": "Enrol in the Internationalisation at Home - Rookie pathway to reach Rookie in Home.",
        "badge_id": "home-rookie",
    }


def test_next_step_follows_the_pathway(framework: Framework, record: StaffRecord) -> None:
    enrolment, _ = pathways.enrol(
        record, framework, "abroad-rookie", achievement=achievement_for(framework, "abroad-rookie"), now=at(0)
    )
    step = _direction(ladder_view(record, framework), "abroad")["next_step"]
    assert step["action"] == "complete_step" and step["step_id"] == "learning-goals"
    pathways.complete_step(record, enrolment.id, "learning-goals", actor="s-100", now=at(1))
    pathways.complete_step(record, enrolment.id, "take-part", actor="s-100", now=at(1))
    step = _direction(ladder_view(record, framework), "abroad")["next_step"]
    assert step["action"] == "await_sign_off" and "Ask your coach" in step["text"]
    pathways.sign_off_step(record, enrolment.id, "coach-debrief", coach="c-1", now=at(2))
    step = _direction(ladder_view(record, framework), "abroad")["next_step"]
    assert step["action"] == "submit_evidence" and step["requirement_id"] == "mobility"


def test_after_rookie_is_issued_the_advanced_pathway_is_next(framework: Framework, record: StaffRecord) -> None:
    _earn_abroad_rookie(record, framework)
    abroad = _direction(ladder_view(record, framework), "abroad")
    assert abroad["level_held"] == {"id": "rookie", "name": "Rookie", "rank": 1}
    assert abroad["next_step"]["action"] == "enrol"
    assert abroad["next_step"]["badge_id"] == "abroad-advanced"
    assert "Advanced" in abroad["next_step"]["text"]


def test_self_assessment_suggests_a_start(framework: Framework, record: StaffRecord) -> None:
    fresh = assess(record, framework, "abroad", {"mobility": "never", "projects": "never"}, now=at(0))
    assert fresh["reached_level"] is None and fresh["suggested_level"] == "rookie"
    assert fresh["suggested_badge_id"] == "abroad-rookie"
    some = assess(record, framework, "abroad", {"mobility": "took-part", "projects": "manager"}, now=at(1))
    assert some["reached_level"] == "rookie" and some["suggested_level"] == "advanced"  # floor of 1.5
    top = assess(record, framework, "home", {"guests": "strategy", "teaching": "lead"}, now=at(2))
    assert top["suggested_level"] == "expert"
    assert [a.direction for a in record.assessments] == ["abroad", "abroad", "home"]


def test_self_assessment_bad_answers_are_named(framework: Framework, record: StaffRecord) -> None:
    with pytest.raises(InvalidInput) as caught:
        assess(record, framework, "abroad", {"mobility": "twice", "colour": "blue"}, now=at(0))
    message = str(caught.value)
    assert "unknown question 'colour'" in message
    assert "answer 'twice' to 'mobility' is not one of" in message
    assert "question 'projects' is not answered" in message
    with pytest.raises(UnknownDirection):
        assess(record, framework, "sideways", {}, now=at(0))
    assert record.assessments == []


def test_manager_summary_counts_staff_by_level_direction_area_over_time(framework: Framework) -> None:
    a = StaffRecord(tenant="omnia", staff_id="a", coach_id="c-1")
    b = StaffRecord(tenant="omnia", staff_id="b", coach_id="c-1")
    _earn_abroad_rookie(a, framework, when=10)
    _earn_abroad_rookie(b, framework, when=20)
    reactions.badge_revoked(b, credential_id="urn:uuid:c1", badge_id="abroad-rookie", at=at(30))
    result = summarise([a, b], framework, [at(5), at(15), at(25), at(35)])
    assert result["staff_total"] == 2

    def rookies_abroad(i: int) -> int:
        row = next(r for r in result["series"][i]["by_level"] if (r["direction"], r["level"]) == ("abroad", "rookie"))
        return int(row["staff"])

    assert [rookies_abroad(i) for i in range(4)] == [0, 1, 2, 1]
    areas = {r["competence_area"]: r["staff"] for r in result["series"][2]["by_competence_area"]}
    assert areas == {"multicultural": 2, "vet-systems": 2}
