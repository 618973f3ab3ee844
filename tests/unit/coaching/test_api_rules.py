"""Tenancy, roles, bad input, framework versions and extensions through the API (embedded backend)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from rexvet_coaching.default_framework import DEFAULT_FRAMEWORK_FILE

from .harness import Harness
from .harness import problem as _problem

pytestmark = pytest.mark.unit


async def _enrol(h: Harness, staff: str, badge: str = "abroad-rookie", coach: str | None = "c-1") -> str:
    body: dict[str, Any] = {"badge_id": badge}
    if coach:
        body["coach_id"] = coach
    r = await h.client.post("/v1/me/enrolments", json=body, headers=h.token(staff, "staff"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def test_framework_reads_are_public_and_every_badge_has_an_achievement(h: Harness) -> None:
    framework = (await h.client.get("/v1/framework")).json()
    assert framework["version"] == 1
    assert [lv["id"] for lv in framework["levels"]] == ["rookie", "advanced", "expert"]
    assert framework["badges"][0]["module"]["training_topics"][0]["resources"][0]["kind"] == "presentation"
    badges = (await h.client.get("/v1/framework/badges")).json()
    assert len(badges) == 6
    for badge in badges:
        assert set(badge) >= {"id", "direction", "level", "title", "achievement"}
        achievement = badge["achievement"]
        assert achievement["type"] == ["Achievement"]
        # the Achievement id dereferences to the same JSON, and its image exists
        r = await h.client.get(achievement["id"])
        assert r.json() == achievement
        image = await h.client.get(achievement["image"]["id"])
        assert image.headers["content-type"].startswith("image/svg+xml")
    questionnaire = (await h.client.get("/v1/framework/self-assessment/home")).json()
    assert [q["id"] for q in questionnaire["questions"]] == ["guests", "teaching"]


async def test_bad_input_gets_precise_problems_and_writes_nothing(h: Harness) -> None:
    staff = h.token("s-1", "staff")
    _problem(
        await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-advanced"}, headers=staff),
        409,
        "prerequisite-missing",
    )
    _problem(await h.client.post("/v1/me/enrolments", json={"badge_id": "flying"}, headers=staff), 404, "unknown-badge")
    _problem(
        await h.client.post(
            "/v1/me/enrolments", json={"badge_id": "abroad-rookie", "framework_version": 9}, headers=staff
        ),
        404,
        "unknown-framework-version",
    )
    body = _problem(await h.client.post("/v1/me/enrolments", json={"badge": "x"}, headers=staff), 422, "validation")
    assert {e["location"] for e in body["errors"]} >= {"body.badge_id", "body.badge"}
    assert (await h.client.get("/v1/me/enrolments", headers=staff)).json() == []  # nothing half-written
    eid = await _enrol(h, "s-1")
    assert (await h.client.post(f"/v1/me/enrolments/{eid}/steps/take-part/complete", headers=staff)).status_code == 200
    _problem(
        await h.client.post(f"/v1/me/enrolments/{eid}/steps/take-part/complete", headers=staff),
        409,
        "step-already-completed",
    )
    _problem(await h.client.post(f"/v1/me/enrolments/{eid}/steps/nope/complete", headers=staff), 404, "unknown-step")
    _problem(
        await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-rookie"}, headers=staff),
        409,
        "already-enrolled",
    )
    _problem(
        await h.client.post("/v1/me/self-assessments/abroad", json={"answers": {"mobility": "often"}}, headers=staff),
        422,
        "invalid-input",
    )
    assert len(h.of_type("enrolment.started")) <= 1


async def test_roles_and_sign_off_rules(h: Harness) -> None:
    eid = await _enrol(h, "s-1")
    path = f"/v1/staff/s-1/enrolments/{eid}/steps/coach-debrief/sign-off"
    # a staff member without the coach role, and one who is also a coach, both on their own step
    _problem(await h.client.post(path, headers=h.token("s-1", "staff")), 403, "forbidden")
    _problem(await h.client.post(path, headers=h.token("s-1", "staff", "coach")), 403, "forbidden")
    # a coach who is not s-1's coach
    _problem(await h.client.post(path, headers=h.token("c-2", "coach")), 403, "forbidden")
    # read-only token cannot write
    _problem(await h.client.post(path, headers=h.token("c-1", "coach", write=False)), 403, "forbidden")
    assert (await h.client.post(path, headers=h.token("c-1", "coach"))).status_code == 200
    _problem(await h.client.post(path, headers=h.token("c-1", "coach")), 409, "step-already-completed")
    # no token at all
    r = await h.client.get("/v1/me/ladder")
    assert r.status_code == 401


async def test_no_cross_institution_reads_or_writes(h: Harness) -> None:
    eid = await _enrol(h, "s-1")
    for reader in (h.token("m-9", "manager", tenant="other"), h.token("c-1", "coach", tenant="other")):
        _problem(await h.client.get("/v1/staff/s-1/ladder", headers=reader), 404, "not-found")
        _problem(await h.client.get("/v1/staff/s-1/enrolments", headers=reader), 404, "not-found")
    # the same coach id in another institution is not this coach
    other_coach = h.token("c-1", "coach", tenant="other")
    assert (await h.client.get("/v1/coach/coachees", headers=other_coach)).json() == []
    _problem(
        await h.client.post(f"/v1/staff/s-1/enrolments/{eid}/steps/coach-debrief/sign-off", headers=other_coach),
        404,
        "not-found",
    )
    # the other tenant's staff s-1 is another person with an empty ladder
    own = (await h.client.get("/v1/me/enrolments", headers=h.token("s-1", "staff", tenant="other"))).json()
    assert own == []
    # inside the institution: the manager sees s-1, the coach sees their coachee, another staff member does not
    assert (await h.client.get("/v1/staff/s-1/ladder", headers=h.token("m-1", "manager"))).status_code == 200
    assert (await h.client.get("/v1/staff/s-1/ladder", headers=h.token("c-1", "coach"))).status_code == 200
    _problem(await h.client.get("/v1/staff/s-1/ladder", headers=h.token("c-2", "coach")), 404, "not-found")
    _problem(await h.client.get("/v1/staff/s-1/ladder", headers=h.token("s-2", "staff")), 404, "not-found")
    _problem(await h.client.get("/v1/institution/summary", headers=h.token("s-2", "staff")), 403, "forbidden")
    coachees = (await h.client.get("/v1/coach/coachees", headers=h.token("c-1", "coach"))).json()
    assert [c["staff_id"] for c in coachees] == ["s-1"]


async def test_versions_progress_under_v1_stays_valid_after_v2(h: Harness) -> None:
    staff = h.token("s-1", "staff")
    eid = await _enrol(h, "s-1")
    await h.client.post(f"/v1/me/enrolments/{eid}/steps/learning-goals/complete", headers=staff)
    v2 = yaml.safe_load(DEFAULT_FRAMEWORK_FILE.read_text())
    v2["version"] = 2
    rookie = next(b for b in v2["badges"] if b["id"] == "abroad-rookie")
    rookie["title"] = "Abroad Rookie (2027)"
    rookie["module"]["steps"] = [s for s in rookie["module"]["steps"] if s["id"] != "learning-goals"]
    _problem(await h.client.post("/v1/framework/versions", json=v2, headers=staff), 403, "forbidden")
    admin = h.token("root", "consortium-admin", tenant="consortium")
    r = await h.client.post("/v1/framework/versions", json=v2, headers=admin)
    assert r.status_code == 201, r.text
    _problem(await h.client.post("/v1/framework/versions", json=v2, headers=admin), 409, "framework-version-exists")
    assert (await h.client.get("/v1/framework")).json()["version"] == 2
    assert [v["version"] for v in (await h.client.get("/v1/framework/versions")).json()] == [1, 2]
    # the v1 pathway keeps its steps and its Achievement
    enrolment = (await h.client.get(f"/v1/me/enrolments/{eid}", headers=staff)).json()
    assert enrolment["framework_version"] == 1
    assert [s["id"] for s in enrolment["steps"]] == ["learning-goals", "take-part", "coach-debrief"]
    assert enrolment["steps"][0]["state"] == "completed"
    assert enrolment["title"] == "Internationalisation Abroad - Rookie"
    v1_achievement = (await h.client.get("/v1/framework/versions/1/badges/abroad-rookie")).json()
    assert v1_achievement["name"] == "Internationalisation Abroad - Rookie"
    v2_achievement = (await h.client.get("/v1/framework/versions/2/badges/abroad-rookie")).json()
    assert v2_achievement["name"] == "Abroad Rookie (2027)"
    # a new enrolment elsewhere uses v2
    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "home-rookie"}, headers=staff)
    assert r.json()["framework_version"] == 2


async def test_malformed_framework_version_is_refused_with_paths(h: Harness) -> None:
    admin = h.token("root", "consortium-admin", tenant="consortium")
    broken = yaml.safe_load(DEFAULT_FRAMEWORK_FILE.read_text())
    broken["version"] = 2
    broken["badges"][0]["module"]["training_topics"][0]["resources"][0]["kind"] = "podcast"
    broken["badges"][1]["direction"] = "sideways"
    body = _problem(await h.client.post("/v1/framework/versions", json=broken, headers=admin), 422, "invalid-framework")
    # the shape is checked first; references between parts once the shape is right
    assert [e["path"] for e in body["errors"]] == ["$.badges[0].module.training_topics[0].resources[0].kind"]
    assert "'presentation', 'video' or 'exercise'" in body["errors"][0]["reason"]
    broken["badges"][0]["module"]["training_topics"][0]["resources"][0]["kind"] = "video"
    body = _problem(await h.client.post("/v1/framework/versions", json=broken, headers=admin), 422, "invalid-framework")
    assert body["errors"] == [{"path": "$.badges[1].direction", "reason": "unknown direction 'sideways'"}]
    assert [v["version"] for v in (await h.client.get("/v1/framework/versions")).json()] == [1]


async def test_institution_extension_adds_its_own_badge(h: Harness) -> None:
    raw = yaml.safe_load(DEFAULT_FRAMEWORK_FILE.read_text())
    own = copy.deepcopy(raw["badges"][0])
    own.update(id="omnia-guest-week", title="Omnia international guest week")
    admin = h.token("a-1", "institution-admin")
    _problem(
        await h.client.put(
            "/v1/framework/extension", json={"base_version": 1, "badges": [own]}, headers=h.token("s-1", "staff")
        ),
        403,
        "forbidden",
    )
    r = await h.client.put("/v1/framework/extension", json={"base_version": 1, "badges": [own]}, headers=admin)
    assert r.status_code == 200, r.text
    badges = (await h.client.get("/v1/institutions/omnia/framework/badges")).json()
    ext = next(b for b in badges if b["id"] == "omnia-guest-week")
    assert (
        ext["achievement"]["id"]
        == "https://coaching.test/v1/institutions/omnia/framework/versions/1/badges/omnia-guest-week"
    )
    assert (await h.client.get(ext["achievement"]["id"])).json() == ext["achievement"]
    # the consortium's catalogue and other institutions do not see it
    assert all(b["id"] != "omnia-guest-week" for b in (await h.client.get("/v1/framework/badges")).json())
    assert all(
        b["id"] != "omnia-guest-week" for b in (await h.client.get("/v1/institutions/other/framework/badges")).json()
    )
    eid = await _enrol(h, "s-1", badge="omnia-guest-week")
    other = await h.client.post(
        "/v1/me/enrolments", json={"badge_id": "omnia-guest-week"}, headers=h.token("s-1", "staff", tenant="other")
    )
    _problem(other, 404, "unknown-badge")
    assert eid.startswith("omnia-guest-week")


async def test_manager_summary(h: Harness) -> None:
    manager = h.token("m-1", "manager")
    r = await h.client.get("/v1/institution/summary?interval=week", headers=manager)
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["series"]) == 12
    assert {(row["direction"], row["level"]) for row in body["series"][0]["by_level"]} == {
        (d, lv) for d in ("home", "abroad") for lv in ("rookie", "advanced", "expert")
    }
    _problem(await h.client.get("/v1/institution/summary?interval=year", headers=manager), 422, "validation")
    _problem(
        await h.client.get("/v1/institution/summary?from=2026-05-01T00:00:00&to=2026-01-01T00:00:00", headers=manager),
        422,
        "invalid-input",
    )
