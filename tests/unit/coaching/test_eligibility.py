"""The eligibility engine on one staff record: steps, evidence, HR recognition, exactly once, issue and revoke."""

from __future__ import annotations

import pytest

from rexvet_coaching.domain import pathways, reactions
from rexvet_coaching.domain.eligibility import (
    BADGE_ELIGIBLE,
    ENROLMENT_STARTED,
    STEP_COMPLETED,
    Outgoing,
    eligibility_id,
)
from rexvet_coaching.domain.errors import (
    AlreadyEnrolled,
    Forbidden,
    InvalidInput,
    LevelAlreadyHeld,
    PathwayNotActive,
    PrerequisiteMissing,
    StepAlreadyCompleted,
    UnknownStep,
)
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import StaffRecord

from .conftest import achievement_for, at

pytestmark = pytest.mark.unit


def _types(events: list[Outgoing]) -> list[str]:
    return [e.type for e in events]


def _enrol(record: StaffRecord, framework: Framework, badge_id: str) -> str:
    enrolment, events = pathways.enrol(
        record, framework, badge_id, achievement=achievement_for(framework, badge_id), now=at(0)
    )
    assert _types(events) == [ENROLMENT_STARTED]
    return enrolment.id


def _do_rookie_abroad_steps(record: StaffRecord, enrolment_id: str) -> list[Outgoing]:
    events = pathways.complete_step(record, enrolment_id, "learning-goals", actor=record.staff_id, now=at(1))
    events += pathways.complete_step(record, enrolment_id, "take-part", actor=record.staff_id, now=at(2))
    events += pathways.sign_off_step(record, enrolment_id, "coach-debrief", coach="c-1", now=at(3))
    return events


def _approve(record: StaffRecord, evidence_id: str = "ev-1", badge_id: str = "abroad-rookie") -> list[Outgoing]:
    return reactions.evidence_reviewed(
        record,
        evidence_id=evidence_id,
        approved=True,
        badge_id=badge_id,
        requirement_id=None,
        narrative="Job shadowing in Tallinn, 2 weeks",
        url="https://portfolio.example.org/tallinn",
        at=at(4),
    )


def _earn(record: StaffRecord, framework: Framework, badge_id: str, credential: str) -> None:
    """Shortcut to hold a level: eligible, then issued."""
    enrolment_id = _enrol(record, framework, badge_id)
    enrolment = record.enrolment(enrolment_id)
    assert enrolment is not None
    badge = enrolment.badge_definition()
    events: list[Outgoing] = []
    for step in badge.module.steps:
        if step.sign_off == "self":
            events += pathways.complete_step(record, enrolment_id, step.id, actor=record.staff_id, now=at(5))
        else:
            events += pathways.sign_off_step(record, enrolment_id, step.id, coach="c-1", now=at(5))
    # evidence approved in an earlier episode still counts: it may already be eligible after the steps
    events += _approve(record, evidence_id=f"ev-{badge_id}", badge_id=badge_id)
    eligible = [e for e in events if e.type == BADGE_ELIGIBLE]
    assert len(eligible) == 1
    data = eligible[0].data
    reactions.badge_issued(
        record,
        eligibility_id=data["eligibility_id"],
        badge_id=badge_id,
        episode=data["episode"],
        credential_id=credential,
        issued_at=at(6),
    )


def test_steps_then_approved_evidence_make_the_badge_eligible_once(framework: Framework, record: StaffRecord) -> None:
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    events = _do_rookie_abroad_steps(record, enrolment_id)
    assert _types(events) == [STEP_COMPLETED] * 3  # evidence still missing
    events = _approve(record)
    assert _types(events) == [BADGE_ELIGIBLE]
    data = events[0].data
    assert data["institution"] == "omnia" and data["staff_id"] == "s-100"
    assert (data["badge_id"], data["framework_version"], data["episode"], data["level"]) == (
        "abroad-rookie",
        1,
        1,
        "rookie",
    )
    assert data["achievement"]["name"] == "Internationalisation Abroad - Rookie"
    assert data["result"]["achievedLevel"].endswith("/ladders/abroad/levels/rookie")
    assert data["evidence"] == [
        {
            "type": ["Evidence"],
            "name": "Took part in a mobility period of at least five days.",
            "id": "https://portfolio.example.org/tallinn",
            "narrative": "Job shadowing in Tallinn, 2 weeks",
        }
    ]
    assert data["recipient"] == {"staff_id": "s-100"}
    # the same facts again (a redelivered or second approval) never emit a second eligibility
    assert _approve(record) == []
    assert _approve(record, evidence_id="ev-2") == []
    enrolment = record.enrolment(enrolment_id)
    assert enrolment is not None and enrolment.status == "eligible"


def test_matching_hr_event_satisfies_the_mobility_requirement(framework: Framework, record: StaffRecord) -> None:
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    _do_rookie_abroad_steps(record, enrolment_id)
    events = reactions.hr_event_accepted(
        record, hr_event_id="hr-1", hr_type="mobility.completed", fields={"duration_days": 10}, occurred_at=at(4)
    )
    assert _types(events) == [BADGE_ELIGIBLE]
    assert events[0].data["evidence"] == [
        {
            "type": ["Evidence"],
            "name": "Took part in a mobility period of at least five days.",
            "narrative": "Completed a mobility period of at least five days (HR record).",
        }
    ]


@pytest.mark.parametrize(
    ("hr_type", "fields"),
    [
        ("mobility.completed", {"duration_days": 3}),
        ("training.attended", {"duration_days": 10}),
        ("mobility.completed", {}),
    ],
)
def test_non_matching_hr_event_does_not(
    framework: Framework, record: StaffRecord, hr_type: str, fields: dict[str, object]
) -> None:
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    _do_rookie_abroad_steps(record, enrolment_id)
    events = reactions.hr_event_accepted(record, hr_event_id="hr-1", hr_type=hr_type, fields=fields, occurred_at=at(4))
    assert events == []
    enrolment = record.enrolment(enrolment_id)
    assert enrolment is not None and enrolment.status == "active"


def test_hr_event_before_enrolment_still_counts(framework: Framework, record: StaffRecord) -> None:
    reactions.hr_event_accepted(
        record, hr_event_id="hr-1", hr_type="mobility.completed", fields={"duration_days": 7}, occurred_at=at(0)
    )
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    assert _types(_do_rookie_abroad_steps(record, enrolment_id)) == [STEP_COMPLETED] * 3 + [BADGE_ELIGIBLE]


def test_rejection_after_approval_withdraws_the_evidence(framework: Framework, record: StaffRecord) -> None:
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    pathways.complete_step(record, enrolment_id, "learning-goals", actor="s-100", now=at(1))
    _approve(record)
    reactions.evidence_reviewed(
        record,
        evidence_id="ev-1",
        approved=False,
        badge_id="abroad-rookie",
        requirement_id=None,
        narrative=None,
        url=None,
        at=at(2),
    )
    pathways.complete_step(record, enrolment_id, "take-part", actor="s-100", now=at(3))
    assert _types(pathways.sign_off_step(record, enrolment_id, "coach-debrief", coach="c-1", now=at(4))) == [
        STEP_COMPLETED
    ]


def test_bad_commands_are_refused_without_changing_the_record(framework: Framework, record: StaffRecord) -> None:
    with pytest.raises(PrerequisiteMissing, match="requires 'Internationalisation Abroad - Rookie'"):
        pathways.enrol(record, framework, "abroad-advanced", achievement={}, now=at(0))
    assert record.enrolments == []
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    with pytest.raises(AlreadyEnrolled):
        pathways.enrol(record, framework, "abroad-rookie", achievement={}, now=at(0))
    pathways.complete_step(record, enrolment_id, "learning-goals", actor="s-100", now=at(1))
    before = record.model_copy(deep=True)
    with pytest.raises(StepAlreadyCompleted):
        pathways.complete_step(record, enrolment_id, "learning-goals", actor="s-100", now=at(2))
    with pytest.raises(UnknownStep):
        pathways.complete_step(record, enrolment_id, "fly-to-the-moon", actor="s-100", now=at(2))
    with pytest.raises(Forbidden, match="coach's sign-off"):
        pathways.complete_step(record, enrolment_id, "coach-debrief", actor="s-100", now=at(2))
    with pytest.raises(Forbidden, match="your own pathway"):
        pathways.sign_off_step(record, enrolment_id, "coach-debrief", coach="s-100", now=at(2))
    with pytest.raises(Forbidden, match="coach can sign off"):
        pathways.sign_off_step(record, enrolment_id, "coach-debrief", coach="c-other", now=at(2))
    with pytest.raises(InvalidInput):
        pathways.sign_off_step(record, enrolment_id, "take-part", coach="c-1", now=at(2))
    assert record == before
    pathways.withdraw(record, enrolment_id, now=at(3))
    with pytest.raises(PathwayNotActive):
        pathways.complete_step(record, enrolment_id, "take-part", actor="s-100", now=at(4))


def test_issued_badge_moves_the_ladder_and_opens_the_next_level(framework: Framework, record: StaffRecord) -> None:
    _earn(record, framework, "abroad-rookie", "urn:uuid:cred-1")
    held = record.highest_held("abroad")
    assert held is not None and (held.level, held.credential_id) == ("rookie", "urn:uuid:cred-1")
    with pytest.raises(LevelAlreadyHeld):
        pathways.enrol(record, framework, "abroad-rookie", achievement={}, now=at(7))
    _enrol(record, framework, "abroad-advanced")


def test_revocation_takes_the_level_pauses_dependants_and_opens_a_new_episode(
    framework: Framework, record: StaffRecord
) -> None:
    _earn(record, framework, "abroad-rookie", "urn:uuid:cred-1")
    advanced_id = _enrol(record, framework, "abroad-advanced")
    reactions.badge_revoked(record, credential_id="urn:uuid:cred-1", badge_id="abroad-rookie", at=at(8))
    assert record.highest_held("abroad") is None
    advanced = record.enrolment(advanced_id)
    assert advanced is not None and advanced.status == "paused"
    with pytest.raises(PathwayNotActive, match="paused"):
        pathways.complete_step(record, advanced_id, "organise-mobility", actor="s-100", now=at(9))
    # episode 2 of the rookie badge: a new enrolment can become eligible again, with a new eligibility id
    first_id = record.eligibility_ids[0]
    _earn(record, framework, "abroad-rookie", "urn:uuid:cred-2")
    assert len(record.eligibility_ids) == 2 and record.eligibility_ids[1] != first_id
    rookie_again = [e for e in record.enrolments if e.badge_id == "abroad-rookie"][-1]
    assert rookie_again.episode == 2
    # holding the level again resumes the paused pathway
    resumed = record.enrolment(advanced_id)
    assert resumed is not None and resumed.status == "active"
    assert [c.change for c in record.history] == ["awarded", "revoked", "awarded"]


def test_revoking_an_unknown_credential_changes_nothing(framework: Framework, record: StaffRecord) -> None:
    before = record.model_copy(deep=True)
    assert reactions.badge_revoked(record, credential_id="urn:uuid:other", badge_id="abroad-rookie", at=at(1)) == []
    assert record == before


def test_progress_under_version_1_stays_valid_after_version_2(framework: Framework, record: StaffRecord) -> None:
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    pathways.complete_step(record, enrolment_id, "learning-goals", actor="s-100", now=at(1))
    # Version 2 renames a step and adds one: the v1 pathway keeps its own definition.
    badges = []
    for badge in framework.badges:
        if badge.id == "abroad-rookie":
            module = badge.module.model_copy(
                update={"steps": [*badge.module.steps[1:], badge.module.steps[0].model_copy(update={"id": "goals-v2"})]}
            )
            badge = badge.model_copy(update={"module": module, "title": "Abroad Rookie (2027)"})
        badges.append(badge)
    v2 = framework.model_copy(update={"version": 2, "badges": badges})
    enrolment = record.enrolment(enrolment_id)
    assert enrolment is not None
    assert enrolment.framework_version == 1
    assert enrolment.badge_definition().step("learning-goals") is not None
    pathways.complete_step(record, enrolment_id, "take-part", actor="s-100", now=at(2))
    pathways.sign_off_step(record, enrolment_id, "coach-debrief", coach="c-1", now=at(3))
    events = _approve(record)
    assert _types(events) == [BADGE_ELIGIBLE]
    assert events[0].data["framework_version"] == 1
    assert events[0].data["achievement"]["name"] == "Internationalisation Abroad - Rookie"
    assert v2.badge("abroad-rookie") is not None


def test_issued_before_eligible_is_still_applied_and_never_announced_later(
    framework: Framework, record: StaffRecord
) -> None:
    """In a replay the issuer's topic may run ahead of HR and evidence: the credential is authoritative."""
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    key = eligibility_id("omnia", "s-100", "abroad-rookie", 1, 1)
    reactions.badge_issued(
        record, eligibility_id=key, badge_id="abroad-rookie", episode=1, credential_id="urn:uuid:c9", issued_at=at(1)
    )
    held = record.highest_held("abroad")
    assert held is not None and held.credential_id == "urn:uuid:c9"
    # the facts that made it eligible arrive afterwards: no badge.eligible for an awarded pathway
    with pytest.raises(PathwayNotActive, match="awarded"):
        pathways.complete_step(record, enrolment_id, "learning-goals", actor="s-100", now=at(2))
    assert _approve(record) == []
    hr = reactions.hr_event_accepted(
        record, hr_event_id="hr-9", hr_type="mobility.completed", fields={"duration_days": 8}, occurred_at=at(3)
    )
    assert hr == []
    enrolment = record.enrolment(enrolment_id)
    assert enrolment is not None and enrolment.status == "awarded"


def test_erased_evidence_no_longer_counts(framework: Framework, record: StaffRecord) -> None:
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    _approve(record)
    reactions.evidence_erased(record, evidence_id="ev-1")
    assert record.evidence == []
    events = _do_rookie_abroad_steps(record, enrolment_id)
    assert BADGE_ELIGIBLE not in _types(events)


def test_staff_joined_gives_the_recipient_email_unless_one_is_set(record: StaffRecord) -> None:
    reactions.hr_event_accepted(
        record, hr_event_id="j-1", hr_type="staff.joined", fields={"email": "aino@omnia.example"}, occurred_at=at(0)
    )
    assert record.recipient.email == "aino@omnia.example"
    reactions.hr_event_accepted(
        record, hr_event_id="j-2", hr_type="staff.joined", fields={"email": "other@omnia.example"}, occurred_at=at(1)
    )
    assert record.recipient.email == "aino@omnia.example"
    # the same HR event twice is one fact
    reactions.hr_event_accepted(
        record, hr_event_id="j-2", hr_type="staff.joined", fields={"email": "x@y.z"}, occurred_at=at(2)
    )
    assert [h.hr_event_id for h in record.hr_events] == ["j-1", "j-2"]


def test_suspension_pauses_the_level_and_its_dependants_until_lifted(framework: Framework, record: StaffRecord) -> None:
    _earn(record, framework, "abroad-rookie", "urn:uuid:cred-1")
    advanced_id = _enrol(record, framework, "abroad-advanced")
    assert reactions.badge_suspended(record, credential_id="urn:uuid:cred-1", at=at(8)) == []
    # the level is still held (it is not earned again) but paused: the ladder shows no level in force
    assert record.holds("abroad", "rookie") and not record.holds_in_force("abroad", "rookie")
    assert record.highest_held("abroad") is None
    advanced = record.enrolment(advanced_id)
    assert advanced is not None and advanced.status == "paused"
    assert advanced.paused_reason is not None and "suspended" in advanced.paused_reason
    with pytest.raises(PathwayNotActive, match="paused"):
        pathways.complete_step(record, advanced_id, "organise-mobility", actor="s-100", now=at(9))
    with pytest.raises(LevelAlreadyHeld):
        pathways.enrol(record, framework, "abroad-rookie", achievement={}, now=at(9))
    assert reactions.badge_suspended(record, credential_id="urn:uuid:cred-1", at=at(9)) == []  # already: no change

    reactions.badge_unsuspended(record, credential_id="urn:uuid:cred-1", at=at(10))
    held = record.highest_held("abroad")
    assert held is not None and (held.level, held.suspended_since) == ("rookie", None)
    resumed = record.enrolment(advanced_id)
    assert resumed is not None and (resumed.status, resumed.paused_reason) == ("active", None)
    # a pause, not a change of standing: the ladder history has the award only, and the episode is unchanged
    assert [c.change for c in record.history] == ["awarded"]
    assert record.episode("abroad-rookie") == 1


def test_suspending_or_lifting_an_unknown_credential_changes_nothing(framework: Framework, record: StaffRecord) -> None:
    _earn(record, framework, "abroad-rookie", "urn:uuid:cred-1")
    before = record.model_copy(deep=True)
    assert reactions.badge_suspended(record, credential_id="urn:uuid:other", at=at(1)) == []
    assert reactions.badge_unsuspended(record, credential_id="urn:uuid:cred-1", at=at(1)) == []  # not suspended
    assert record == before


def test_repeating_the_step_that_made_the_pathway_eligible_says_it_is_done(
    framework: Framework, record: StaffRecord
) -> None:
    """A coach's sign-off whose answer was lost (a killed service, a dropped connection) is sent again; it had made the
    pathway eligible, and the retry learns that its step is signed off, not that the pathway refuses steps."""
    enrolment_id = _enrol(record, framework, "abroad-rookie")
    _approve(record)
    events = _do_rookie_abroad_steps(record, enrolment_id)
    assert BADGE_ELIGIBLE in _types(events)
    with pytest.raises(StepAlreadyCompleted, match="signed off"):
        pathways.sign_off_step(record, enrolment_id, "coach-debrief", coach="c-1", now=at(6))
    with pytest.raises(StepAlreadyCompleted, match="completed"):
        pathways.complete_step(record, enrolment_id, "take-part", actor="s-100", now=at(6))
