"""A coach's queue in one answer (`GET /v1/coach/queue`), and when each step began to wait for its sign-off."""

from __future__ import annotations

from datetime import datetime

import pytest

from rexvet_coaching.application.records import to_record
from rexvet_coaching.domain import pathways
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import BadgeDefinition, StaffRecord

from .conftest import achievement_for, at
from .harness import Harness, problem
from .test_directory_api import profile


def _enrolled(record: StaffRecord, framework: Framework, badge_id: str = "abroad-rookie") -> str:
    enrolment, _ = pathways.enrol(
        record, framework, badge_id, achievement=achievement_for(framework, badge_id), now=at(0)
    )
    return enrolment.id


@pytest.mark.unit
def test_the_step_that_closes_the_last_one_before_a_coach_step_records_its_request(
    record: StaffRecord, framework: Framework
) -> None:
    eid = _enrolled(record, framework)
    enrolment = record.enrolment(eid)
    assert enrolment is not None
    assert enrolment.sign_off_requested_at("coach-debrief") is None  # the staff member's steps come first
    pathways.complete_step(record, eid, "learning-goals", actor=record.staff_id, now=at(5))
    assert enrolment.sign_off_requested_at("coach-debrief") is None
    pathways.complete_step(record, eid, "take-part", actor=record.staff_id, now=at(9))
    assert enrolment.sign_off_requested_at("coach-debrief") == at(9)
    assert [(r.step_id, r.requested_at) for r in enrolment.sign_off_requests] == [("coach-debrief", at(9))]
    pathways.sign_off_step(record, eid, "coach-debrief", coach="c-1", now=at(30))
    assert [(r.step_id, r.requested_at) for r in enrolment.sign_off_requests] == [("coach-debrief", at(9))]


@pytest.mark.unit
def test_a_record_stored_before_requests_were_recorded_still_loads_and_dates_its_waiting_step(
    record: StaffRecord, framework: Framework
) -> None:
    eid = _enrolled(record, framework)
    pathways.complete_step(record, eid, "learning-goals", actor=record.staff_id, now=at(5))
    pathways.complete_step(record, eid, "take-part", actor=record.staff_id, now=at(9))
    stored = record.model_dump(mode="json")
    for enrolment in stored["enrolments"]:
        del enrolment["sign_off_requests"]  # the format before the field existed
    old = to_record(stored)
    old_enrolment = old.enrolment(eid)
    assert old_enrolment is not None and old_enrolment.sign_off_requests == []
    badge = framework.badge("abroad-rookie")
    assert badge is not None
    old_enrolment.resolve(BadgeDefinition.render(badge, achievement_for(framework, "abroad-rookie")))
    # The moment its last step before the coach's closed: what a recorded request would have said.
    assert old_enrolment.sign_off_requested_at("coach-debrief") == at(9)


async def _enrol(h: Harness, staff: str, coach: str, *, steps: tuple[str, ...] = ()) -> str:
    r = await h.client.post(
        "/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": coach}, headers=h.token(staff, "staff")
    )
    assert r.status_code == 201, r.text
    eid: str = r.json()["id"]
    for step in steps:
        r = await h.client.post(f"/v1/me/enrolments/{eid}/steps/{step}/complete", headers=h.token(staff, "staff"))
        assert r.status_code == 200, r.text
    return eid


async def test_the_queue_names_the_coachees_and_lists_their_steps_oldest_request_first(h: Harness) -> None:
    await profile(h, "alice", "staff", display_name="Alice Virtanen")
    both = ("learning-goals", "take-part")
    await _enrol(h, "bert", "carl", steps=both)  # asks first
    await _enrol(h, "alice", "carl", steps=both)
    await _enrol(h, "cleo", "carl")  # her own steps are still open: not asked yet
    await _enrol(h, "dana", "other-coach", steps=both)
    r = await h.client.get("/v1/coach/queue", headers=h.token("carl", "coach", write=False))
    assert r.status_code == 200, r.text
    queue = r.json()
    coachees = {c["staff_id"]: (c.get("display_name"), c["pending_sign_offs"]) for c in queue["coachees"]}
    assert coachees == {"alice": ("Alice Virtanen", 1), "bert": (None, 1), "cleo": (None, 1)}
    steps = queue["sign_offs"]
    assert [(s["staff_id"], s["step_id"]) for s in steps] == [
        ("bert", "coach-debrief"),
        ("alice", "coach-debrief"),
        ("cleo", "coach-debrief"),
    ]
    assert steps[1]["display_name"] == "Alice Virtanen"
    first, second = (datetime.fromisoformat(s["requested_at"]) for s in steps[:2])
    assert first <= second and steps[2]["requested_at"] is None
    # The same steps as the older list of sign-offs, with the same names.
    older = (await h.client.get("/v1/coach/sign-offs", headers=h.token("carl", "coach"))).json()
    assert sorted(s["staff_id"] for s in older) == ["alice", "bert", "cleo"]


async def test_the_queue_is_the_calling_coachs_in_their_institution_and_refused_to_staff(h: Harness) -> None:
    await _enrol(h, "alice", "carl", steps=("learning-goals", "take-part"))
    other_coach = await h.client.get("/v1/coach/queue", headers=h.token("dora", "coach"))
    assert other_coach.status_code == 200 and other_coach.json() == {"coachees": [], "sign_offs": []}
    other_tenant = await h.client.get("/v1/coach/queue", headers=h.token("carl", "coach", tenant="taitotalo"))
    assert other_tenant.status_code == 200 and other_tenant.json() == {"coachees": [], "sign_offs": []}
    problem(await h.client.get("/v1/coach/queue", headers=h.token("alice", "staff")), 403, "forbidden")
    problem(await h.client.get("/v1/coach/queue", headers=h.token("mia", "manager")), 403, "forbidden")
    assert (await h.client.get("/v1/coach/queue")).status_code == 401


async def test_the_queue_brings_one_coachees_ladder_and_enrolments_and_someone_not_coached_is_404(h: Harness) -> None:
    eid = await _enrol(h, "alice", "carl")
    await _enrol(h, "dana", "other-coach")
    coach = h.token("carl", "coach", write=False)
    r = await h.client.get("/v1/coach/queue", params={"coachee": "alice"}, headers=coach)
    assert r.status_code == 200, r.text
    detail = r.json()["coachee"]
    assert detail["staff_id"] == "alice" and [e["id"] for e in detail["enrolments"]] == [eid]
    assert detail["ladder"]["staff_id"] == "alice"
    assert "coachee" not in (await h.client.get("/v1/coach/queue", headers=coach)).json()
    for someone in ("dana", "nobody"):  # another coach's coachee, and no one: the same 404
        problem(await h.client.get("/v1/coach/queue", params={"coachee": someone}, headers=coach), 404, "not-found")
    other_tenant = h.token("carl", "coach", tenant="taitotalo")
    problem(await h.client.get("/v1/coach/queue", params={"coachee": "alice"}, headers=other_tenant), 404, "not-found")
