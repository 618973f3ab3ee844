"""The full path through the coaching API and events, shared by the embedded and the Kafka + FerretDB tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from rexvet_common.events import topics

from .harness import Harness, eventually

STAFF = "s-1"
COACH = "c-1"


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def full_path(h: Harness) -> dict[str, Any]:
    """self-assessment -> enrol Abroad/Rookie -> steps -> evidence approved (redelivered) -> eligible once -> issued
    -> the ladder shows Rookie held and the Advanced pathway as the next step. Returns the badge.eligible data."""
    tenant = h.tenant
    sentinel = f"sentinel-{uuid.uuid4()}"
    staff = h.token(STAFF, "staff")
    coach = h.token(COACH, "coach")

    badges = (await h.client.get("/v1/framework/badges")).json()
    assert {b["id"] for b in badges} >= {"abroad-rookie", "home-expert"}

    r = await h.client.post(
        "/v1/me/self-assessments/abroad", json={"answers": {"mobility": "never", "projects": "never"}}, headers=staff
    )
    assert r.status_code == 200, r.text
    assert r.json()["suggested_badge_id"] == "abroad-rookie"

    r = await h.client.put("/v1/me/recipient", json={"email": "sanna@omnia.example"}, headers=staff)
    assert r.status_code == 200, r.text

    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": COACH}, headers=staff)
    assert r.status_code == 201, r.text
    enrolment = r.json()
    eid = enrolment["id"]
    assert r.headers["Location"] == f"/v1/me/enrolments/{eid}"
    assert [s["state"] for s in enrolment["steps"]] == ["open", "open", "open"]

    for step in ("learning-goals", "take-part"):
        r = await h.client.post(f"/v1/me/enrolments/{eid}/steps/{step}/complete", headers=staff)
        assert r.status_code == 200, r.text

    pending = (await h.client.get("/v1/coach/sign-offs", headers=coach)).json()
    assert [(p["staff_id"], p["step_id"]) for p in pending] == [(STAFF, "coach-debrief")]
    r = await h.client.post(f"/v1/staff/{STAFF}/enrolments/{eid}/steps/coach-debrief/sign-off", headers=coach)
    assert r.status_code == 200, r.text
    assert r.json()["next_step"]["action"] == "submit_evidence"

    reviewed = {
        "institution": tenant,
        "staff_id": STAFF,
        "evidence_id": "ev-42",
        "decision": "approved",
        "reviewer": COACH,
        "badge_id": "abroad-rookie",
        "requirement_id": "mobility",
        "narrative": "Two weeks of job shadowing at a VET school in Tallinn",
        "url": "https://portfolio.example.org/sanna/tallinn",
        "reviewed_at": _now(),
    }
    event = await h.publish(topics.EVIDENCE, "org.rexvet.evidence.reviewed.v1", reviewed)
    await h.republish(topics.EVIDENCE, event)  # redelivery of the same event
    await h.publish(topics.EVIDENCE, "org.rexvet.evidence.reviewed.v1", reviewed)  # a second review, new event id
    # a later event on the same key, visible through the API, shows the ones before it were consumed
    await h.publish(
        topics.EVIDENCE,
        "org.rexvet.evidence.submitted.v1",
        {"institution": tenant, "staff_id": STAFF, "evidence_id": sentinel, "title": "x", "submitted_at": _now()},
    )

    async def sentinel_seen() -> bool:
        r = await h.client.get(f"/v1/staff/{STAFF}/evidence", headers=staff)
        return any(i["evidence_id"] == sentinel for i in r.json()["items"])

    await eventually(sentinel_seen)
    await h.settled()
    eligible = h.of_type("badge.eligible")
    assert len(eligible) == 1, [e.data for e in eligible]
    data = eligible[0].data
    assert (data["badge_id"], data["framework_version"], data["episode"], data["level"]) == (
        "abroad-rookie",
        1,
        1,
        "rookie",
    )
    assert data["recipient"] == {"staff_id": STAFF, "email": "sanna@omnia.example"}
    assert data["achievement"]["id"] == "https://coaching.test/v1/framework/versions/1/badges/abroad-rookie"
    assert data["evidence"][0]["id"] == "https://portfolio.example.org/sanna/tallinn"
    assert eligible[0].partitionkey == f"{tenant}:{STAFF}"
    assert len(h.of_type("enrolment.started")) == 1
    assert len(h.of_type("step.completed")) == 3

    ladder = (await h.client.get("/v1/me/ladder", headers=staff)).json()
    abroad = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")
    assert abroad["next_step"]["action"] == "await_issuance"

    issued = {
        "institution": tenant,
        "staff_id": STAFF,
        "credential_id": "urn:uuid:0b1e5a1c-7c7e-4a0c-9d55-1f6f1b9f0c01",
        "eligibility_id": data["eligibility_id"],
        "badge_id": "abroad-rookie",
        "framework_version": 1,
        "episode": 1,
        "level": "rookie",
        "issued_at": _now(),
    }
    issued_event = await h.publish(topics.ISSUER, "org.rexvet.badge.issued.v1", issued)
    await h.republish(topics.ISSUER, issued_event)

    async def rookie_held() -> bool:
        ladder = (await h.client.get("/v1/me/ladder", headers=staff)).json()
        abroad = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")
        return abroad["level_held"] is not None

    await eventually(rookie_held)
    ladder = (await h.client.get("/v1/me/ladder", headers=staff)).json()
    abroad = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")
    assert abroad["level_held"] == {"id": "rookie", "name": "Rookie", "rank": 1}
    assert abroad["pathway"] is None
    assert abroad["next_step"]["action"] == "enrol"
    assert abroad["next_step"]["badge_id"] == "abroad-advanced"
    assert "Advanced" in abroad["next_step"]["text"]
    home = next(d for d in ladder["directions"] if d["direction"]["id"] == "home")
    assert home["level_held"] is None and home["next_step"]["badge_id"] == "home-rookie"
    # and now the Advanced pathway opens
    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-advanced"}, headers=staff)
    assert r.status_code == 201, r.text
    return data
