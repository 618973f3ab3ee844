"""Coaching and the issuer on one embedded event log, as `make run` wires them: a pathway completed in coaching
becomes a credential here, coaching's ladder shows the level held, and a revocation here takes it away there."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from coaching.harness import Harness, coaching_app  # the coaching tests' package (tests/unit is on the path)

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events import topics
from rexvet_credentials import Outcome

from .harness import Issuer, eventually, issuer_service

pytestmark = pytest.mark.unit

STAFF, COACH = "s-1", "c-1"


async def abroad_level(h: Harness) -> object:
    ladder = (await h.client.get("/v1/me/ladder", headers=h.token(STAFF, "staff"))).json()
    return next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")["level_held"]


async def earn_abroad_rookie(h: Harness) -> None:
    staff, coach = h.token(STAFF, "staff"), h.token(COACH, "coach")
    r = await h.client.put("/v1/me/recipient", json={"email": "sanna@omnia.example"}, headers=staff)
    assert r.status_code == 200, r.text
    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": COACH}, headers=staff)
    assert r.status_code == 201, r.text
    enrolment = r.json()["id"]
    for step in ("learning-goals", "take-part"):
        r = await h.client.post(f"/v1/me/enrolments/{enrolment}/steps/{step}/complete", headers=staff)
        assert r.status_code == 200, r.text
    r = await h.client.post(f"/v1/staff/{STAFF}/enrolments/{enrolment}/steps/coach-debrief/sign-off", headers=coach)
    assert r.status_code == 200, r.text
    reviewed = {
        "institution": h.tenant,
        "staff_id": STAFF,
        "evidence_id": f"ev-{uuid.uuid4()}",
        "decision": "approved",
        "reviewer": COACH,
        "badge_id": "abroad-rookie",
        "requirement_id": "mobility",
        "narrative": "Two weeks of job shadowing at a VET school in Tallinn",
        "url": "https://portfolio.example.org/sanna/tallinn",
        "reviewed_at": datetime.now(UTC).isoformat(),
    }
    await h.publish(topics.EVIDENCE, "org.rexvet.evidence.reviewed.v1", reviewed)


async def test_a_completed_pathway_is_issued_held_and_revoked(tmp_path: Path) -> None:
    coaching_bus = SqliteEventLog(tmp_path / "events.sqlite3", poll_interval=0.02)
    coaching_store = SqliteDocumentStore(tmp_path / "coaching.sqlite3")
    async with (
        issuer_service(tmp_path) as issuer,
        coaching_app(tmp_path / "coaching", bus=coaching_bus, documents=coaching_store) as h,
    ):
        await earn_abroad_rookie(h)

        async def rookie_held() -> bool:
            return await abroad_level(h) is not None

        await eventually(rookie_held)  # coaching -> badge.eligible -> issuer -> badge.issued -> coaching
        assert await abroad_level(h) == {"id": "rookie", "name": "Rookie", "rank": 1}
        [eligible] = h.of_type("badge.eligible")
        mine = await issuer.client.get("/v1/me/credentials", headers=issuer.auth(STAFF, "staff"))
        [item] = mine.json()["items"]
        credential = item["credential"]
        assert credential["credentialSubject"]["achievement"] == eligible.data["achievement"]
        assert (await issuer.verify(credential)).outcome is Outcome.VERIFIED

        await revoke_and_see_it_in_coaching(issuer, h, item["id"])


async def revoke_and_see_it_in_coaching(issuer: Issuer, h: Harness, credential_uuid: str) -> None:
    admin = issuer.auth("a-1", "institution-admin")
    r = await issuer.client.post(f"/v1/credentials/{credential_uuid}/revoke", headers=admin)
    assert r.status_code == 200, r.text

    async def rookie_gone() -> bool:
        return await abroad_level(h) is None

    await eventually(rookie_gone)
    ladder = (await h.client.get("/v1/me/ladder", headers=h.token(STAFF, "staff"))).json()
    abroad = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")
    assert abroad["next_step"]["badge_id"] == "abroad-rookie"  # a new episode can earn it again
