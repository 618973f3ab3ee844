"""An institution's own coaching module for a consortium badge (`modules` in `PUT /v1/framework/extension`)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from rexvet_coaching.domain.framework import CoachingModule, Framework
from rexvet_coaching.domain.loading import parse_extension
from rexvet_common.events import topics

from .harness import Harness, eventually
from .harness import problem as _problem

pytestmark = pytest.mark.unit

BADGE = "abroad-rookie"
CONSORTIUM_STEPS = ["learning-goals", "take-part", "coach-debrief"]
CONSORTIUM_ACHIEVEMENT = "https://coaching.test/v1/framework/versions/1/badges/abroad-rookie"
OMNIA_MODULE: dict[str, Any] = {
    "definition": "At Omnia a rookie abroad joins one of our partner-school exchanges in Tallinn or Porto.",
    "for_you_if": ["you teach at Omnia and have not yet been abroad with us"],
    "what_you_learn": ["how Omnia's partner exchanges are organised"],
    "learning_outcomes": ["host a partner-school colleague after your exchange"],
    "training_topics": [
        {
            "title": "Omnia's partner schools",
            "resources": [{"title": "Partner map", "url": "https://omnia.example/partners", "kind": "presentation"}],
        }
    ],
    "steps": [
        {
            "id": "omnia-plan",
            "title": "Plan your exchange with the international office",
            "description": "Agree dates and a host school.",
            "sign_off": "self",
        },
        {
            "id": "omnia-mentor-talk",
            "title": "Talk it through with your mentor",
            "description": "Your coach signs this off.",
            "sign_off": "coach",
        },
    ],
    "evidence": [{"id": "omnia-portfolio", "description": "Your exchange portfolio on the Omnia intranet."}],
}


async def _put_modules(h: Harness, modules: dict[str, Any], tenant: str = "omnia") -> httpx.Response:
    admin = h.token("a-1", "institution-admin", tenant=tenant)
    return await h.client.put("/v1/framework/extension", json={"base_version": 1, "modules": modules}, headers=admin)


async def _enrol(h: Harness, staff: str, tenant: str = "omnia") -> dict[str, Any]:
    r = await h.client.post(
        "/v1/me/enrolments", json={"badge_id": BADGE, "coach_id": "c-1"}, headers=h.token(staff, tenant=tenant)
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _badge(badges: list[dict[str, Any]]) -> dict[str, Any]:
    return next(b for b in badges if b["id"] == BADGE)


def test_the_combined_framework_changes_only_the_module_of_the_named_badge(framework: Framework) -> None:
    combined = parse_extension({"base_version": 1, "modules": {BADGE: OMNIA_MODULE}}, framework, source="omnia")
    assert [b.id for b in combined.badges] == [b.id for b in framework.badges]
    for ours, theirs in zip(combined.badges, framework.badges, strict=True):
        if ours.id == BADGE:
            assert ours.module == CoachingModule.model_validate(OMNIA_MODULE)
            assert ours.model_dump(exclude={"module"}) == theirs.model_dump(exclude={"module"})
        else:
            assert ours == theirs
    assert combined.model_dump(exclude={"badges"}) == framework.model_dump(exclude={"badges"})


async def test_an_institutions_module_replaces_the_consortiums_for_its_staff_only(h: Harness) -> None:
    earlier = await _enrol(h, "s-0")  # enrolled before the institution had its own module
    r = await _put_modules(h, {BADGE: OMNIA_MODULE})
    assert r.status_code == 200, r.text
    badge = _badge(r.json()["badges"])
    assert [s["id"] for s in badge["module"]["steps"]] == ["omnia-plan", "omnia-mentor-talk"]
    assert badge["module_institution"] == "omnia"
    # the badge itself stays the consortium's: rung, prerequisites and Achievement id
    assert (badge["direction"], badge["level"], badge["prerequisites"]) == ("abroad", "rookie", [])
    assert badge["achievement_id"] == CONSORTIUM_ACHIEVEMENT

    # the Achievement Omnia's staff earn: the consortium's id, criteria from Omnia's module, published under Omnia
    omnia = _badge((await h.client.get("/v1/institutions/omnia/framework/badges")).json())["achievement"]
    assert omnia["id"] == CONSORTIUM_ACHIEVEMENT
    assert "host a partner-school colleague after your exchange" in omnia["criteria"]["narrative"]
    criteria_page = omnia["criteria"]["id"].removesuffix("#criteria")
    assert criteria_page == "https://coaching.test/v1/institutions/omnia/framework/versions/1/badges/abroad-rookie"
    assert (await h.client.get(criteria_page)).json() == omnia
    consortium = (await h.client.get(CONSORTIUM_ACHIEVEMENT)).json()
    assert "take part in a mobility period abroad" in consortium["criteria"]["narrative"]
    assert "partner-school" not in consortium["criteria"]["narrative"]

    # another institution and the consortium's own catalogue still show the consortium's module
    for url in ("/v1/framework/badges", "/v1/institutions/other/framework/badges"):
        assert _badge((await h.client.get(url)).json())["achievement"] == consortium
    other_framework = (await h.client.get("/v1/institutions/other/framework")).json()
    assert [s["id"] for s in _badge(other_framework["badges"])["module"]["steps"]] == CONSORTIUM_STEPS
    assert "module_institution" not in _badge(other_framework["badges"])
    elsewhere = await _enrol(h, "s-1", tenant="other")
    assert [s["id"] for s in elsewhere["steps"]] == CONSORTIUM_STEPS

    # Omnia's staff who enrol now follow Omnia's module; the one who enrolled before keeps the consortium's
    enrolment = await _enrol(h, "s-1")
    assert [s["id"] for s in enrolment["steps"]] == ["omnia-plan", "omnia-mentor-talk"]
    assert [r["id"] for r in enrolment["evidence_requirements"]] == ["omnia-portfolio"]
    assert (enrolment["direction"], enrolment["level"], enrolment["framework_version"]) == ("abroad", "rookie", 1)
    before = (await h.client.get(f"/v1/me/enrolments/{earlier['id']}", headers=h.token("s-0"))).json()
    assert [s["id"] for s in before["steps"]] == CONSORTIUM_STEPS

    # ...and become eligible by it: the consortium's steps are not theirs, Omnia's steps and evidence are
    staff, eid = h.token("s-1"), enrolment["id"]
    _problem(
        await h.client.post(f"/v1/me/enrolments/{eid}/steps/take-part/complete", headers=staff), 404, "unknown-step"
    )
    r = await h.client.post(f"/v1/me/enrolments/{eid}/steps/omnia-plan/complete", headers=staff)
    assert r.status_code == 200, r.text
    r = await h.client.post(
        f"/v1/staff/s-1/enrolments/{eid}/steps/omnia-mentor-talk/sign-off", headers=h.token("c-1", "coach")
    )
    assert r.status_code == 200, r.text
    assert r.json()["next_step"] == {
        "action": "submit_evidence",
        "text": f"Submit evidence for {badge['title']}: Your exchange portfolio on the Omnia intranet.",
        "requirement_id": "omnia-portfolio",
        "enrolment_id": eid,
    }
    await h.publish(
        topics.EVIDENCE,
        "org.rexvet.evidence.reviewed.v1",
        {
            "institution": "omnia",
            "staff_id": "s-1",
            "evidence_id": "ev-7",
            "decision": "approved",
            "reviewer": "c-1",
            "badge_id": BADGE,
            "requirement_id": "omnia-portfolio",
            "narrative": "Exchange with a partner school in Porto",
            "reviewed_at": datetime.now(UTC).isoformat(),
        },
    )

    async def eligible() -> bool:
        return bool((await h.client.get(f"/v1/me/enrolments/{eid}", headers=staff)).json()["status"] == "eligible")

    await eventually(eligible)
    await h.settled()
    [event] = [e for e in h.of_type("badge.eligible") if e.data["staff_id"] == "s-1"]
    assert (event.data["badge_id"], event.data["level"], event.data["framework_version"]) == (BADGE, "rookie", 1)
    assert event.data["achievement"] == omnia
    assert event.data["evidence"][0]["name"] == "Your exchange portfolio on the Omnia intranet."


async def test_replacing_the_module_leaves_progress_with_the_module_it_was_made_under(h: Harness) -> None:
    assert (await _put_modules(h, {BADGE: OMNIA_MODULE})).status_code == 200
    first = await _enrol(h, "s-1")
    await h.client.post(f"/v1/me/enrolments/{first['id']}/steps/omnia-plan/complete", headers=h.token("s-1"))
    revised = copy.deepcopy(OMNIA_MODULE)
    revised["steps"][0].update(id="omnia-plan-2026", title="Plan your 2026 exchange")
    assert (await _put_modules(h, {BADGE: revised})).status_code == 200
    kept = (await h.client.get(f"/v1/me/enrolments/{first['id']}", headers=h.token("s-1"))).json()
    assert [(s["id"], s["state"]) for s in kept["steps"]] == [
        ("omnia-plan", "completed"),
        ("omnia-mentor-talk", "open"),
    ]
    later = await _enrol(h, "s-2")
    assert [s["id"] for s in later["steps"]] == ["omnia-plan-2026", "omnia-mentor-talk"]
    # an extension without modules gives new enrolments the consortium's module again; progress stays as it was
    empty = await h.client.put(
        "/v1/framework/extension", json={"base_version": 1}, headers=h.token("a-1", "institution-admin")
    )
    assert empty.status_code == 200, empty.text
    assert [s["id"] for s in (await _enrol(h, "s-3"))["steps"]] == CONSORTIUM_STEPS
    kept = (await h.client.get(f"/v1/me/enrolments/{first['id']}", headers=h.token("s-1"))).json()
    assert [s["id"] for s in kept["steps"]] == ["omnia-plan", "omnia-mentor-talk"]


async def test_bad_modules_are_refused_precisely_and_nothing_is_written(h: Harness) -> None:
    unknown = _problem(await _put_modules(h, {"flying": OMNIA_MODULE}), 422, "invalid-framework")
    assert [e["path"] for e in unknown["errors"]] == ["$.modules.flying"]
    assert "no badge 'flying' in framework version 1" in unknown["errors"][0]["reason"]

    malformed = copy.deepcopy(OMNIA_MODULE)
    malformed["steps"][0]["sign_off"] = "manager"
    del malformed["learning_outcomes"]
    body = _problem(await _put_modules(h, {BADGE: malformed}), 422, "invalid-framework")
    assert sorted(e["path"] for e in body["errors"]) == [
        "$.modules.abroad-rookie.learning_outcomes",
        "$.modules.abroad-rookie.steps[0].sign_off",
    ]

    twice = copy.deepcopy(OMNIA_MODULE)
    twice["steps"][1]["id"] = "omnia-plan"
    twice["evidence"][0].update(accepts_evidence=False)
    body = _problem(await _put_modules(h, {BADGE: twice}), 422, "invalid-framework")
    assert body["errors"] == [
        {"path": "$.modules.abroad-rookie.steps[0].id", "reason": "step id 'omnia-plan' is used twice"},
        {"path": "$.modules.abroad-rookie.evidence[0]", "reason": "a requirement must accept evidence or an HR event"},
    ]

    own_badge = _badge((await h.client.get("/v1/framework")).json()["badges"])
    own_badge = {k: v for k, v in own_badge.items() if k != "achievement_id"} | {"id": "omnia-guest-week"}
    admin = h.token("a-1", "institution-admin")
    document = {"base_version": 1, "badges": [own_badge], "modules": {"omnia-guest-week": OMNIA_MODULE}}
    body = _problem(
        await h.client.put("/v1/framework/extension", json=document, headers=admin), 422, "invalid-framework"
    )
    assert [e["path"] for e in body["errors"]] == ["$.modules.omnia-guest-week"]

    not_admin = await h.client.put(
        "/v1/framework/extension", json={"base_version": 1, "modules": {BADGE: OMNIA_MODULE}}, headers=h.token("s-1")
    )
    _problem(not_admin, 403, "forbidden")
    _problem(await h.client.put("/v1/framework/extension", json=[OMNIA_MODULE], headers=admin), 422, "validation")

    # nothing of it was kept: Omnia's staff still see and enrol in the consortium's module
    framework = (await h.client.get("/v1/institutions/omnia/framework")).json()
    assert [s["id"] for s in _badge(framework["badges"])["module"]["steps"]] == CONSORTIUM_STEPS
    assert all(b["id"] != "omnia-guest-week" for b in framework["badges"])
    assert [s["id"] for s in (await _enrol(h, "s-1"))["steps"]] == CONSORTIUM_STEPS
