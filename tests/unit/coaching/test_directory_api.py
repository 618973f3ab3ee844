"""The people directory over HTTP and from HR events: tenancy, roles, erasure, and duplicates absorbed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rexvet_coaching.application.directory import COLLECTION
from rexvet_common.events import topics
from rexvet_common.events.catalogue import HR_EVENT_ACCEPTED
from rexvet_common.messaging.idempotency import APPLIED_FIELD

from .harness import Harness, eventually, problem

T1 = "2026-09-01T08:00:00+00:00"


def hr(staff_id: str, hr_type: str, fields: dict[str, Any], *, hr_id: str, occurred_at: str = T1) -> dict[str, Any]:
    return {
        "institution": "omnia",
        "staff_id": staff_id,
        "hr_event_id": hr_id,
        "hr_type": hr_type,
        "occurred_at": occurred_at,
        "fields": fields,
    }


async def profile(h: Harness, sub: str, *roles: str, tenant: str | None = None, **body: Any) -> dict[str, Any]:
    r = await h.client.put("/v1/me/profile", json=body, headers=h.token(sub, *roles, tenant=tenant))
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


async def test_sign_in_records_the_token_identity_and_only_name_and_email_from_the_body(h: Harness) -> None:
    entry = await profile(h, "carl", "coach", "staff", display_name="Carl Coach", email="carl@omnia.fi")
    assert entry["id"] == "carl" and entry["roles"] == ["coach", "staff"]
    assert (entry["display_name"], entry["email"]) == ("Carl Coach", "carl@omnia.fi")
    # The body cannot name another person, institution or roles.
    r = await h.client.put("/v1/me/profile", json={"roles": ["institution-admin"]}, headers=h.token("carl", "coach"))
    body = problem(r, 422, "validation")
    assert body["errors"] == [{"location": "body.roles", "message": "Extra inputs are not permitted"}]


async def test_a_malformed_email_is_a_problem_that_says_what_to_send(h: Harness) -> None:
    r = await h.client.put("/v1/me/profile", json={"email": "carl at omnia"}, headers=h.token("carl", "coach"))
    assert r.status_code == 422 and "name@example.org" in r.json()["detail"]


async def test_staff_list_their_institutions_coaches_by_name_and_not_anothers(h: Harness) -> None:
    await profile(h, "zoe", "coach", display_name="Zoe Zetterberg")
    await profile(h, "carl", "coach", display_name="Carl Coach")
    await profile(h, "alice", "staff", display_name="Alice")
    await profile(h, "eve", "coach", tenant="other", display_name="Eve Elsewhere")
    r = await h.client.get("/v1/institution/coaches", headers=h.token("alice", "staff", write=False))
    assert r.status_code == 200
    assert r.json() == [{"id": "carl", "display_name": "Carl Coach"}, {"id": "zoe", "display_name": "Zoe Zetterberg"}]


async def test_another_institutions_person_is_a_404(h: Harness) -> None:
    await profile(h, "eve", "coach", tenant="other", display_name="Eve Elsewhere")
    r = await h.client.get("/v1/people/eve", headers=h.token("alice", "manager", write=False))
    problem(r, 404, "not-found")
    r = await h.client.delete("/v1/people/eve", headers=h.token("admin", "institution-admin"))
    problem(r, 404, "not-found")


async def test_email_is_shown_to_the_person_their_coach_and_managers_only(h: Harness) -> None:
    await profile(h, "alice", "staff", display_name="Alice", email="alice@omnia.fi")
    r = await h.client.post(
        "/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": "carl"}, headers=h.token("alice", "staff")
    )
    assert r.status_code == 201, r.text
    seen = {}
    for sub, role in (("alice", "staff"), ("carl", "coach"), ("mia", "manager"), ("bob", "staff"), ("cleo", "coach")):
        r = await h.client.get("/v1/people/alice", headers=h.token(sub, role, write=False))
        assert r.status_code == 200
        assert r.json()["display_name"] == "Alice"
        seen[sub] = r.json().get("email")
    assert seen == {
        "alice": "alice@omnia.fi",
        "carl": "alice@omnia.fi",
        "mia": "alice@omnia.fi",
        "bob": None,
        "cleo": None,
    }


async def test_coachees_carry_their_names_and_an_unknown_one_its_id_alone(h: Harness) -> None:
    await profile(h, "alice", "staff", display_name="Alice Virtanen")
    for staff in ("alice", "bert"):
        r = await h.client.post(
            "/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": "carl"}, headers=h.token(staff, "staff")
        )
        assert r.status_code == 201, r.text
    r = await h.client.get("/v1/coach/coachees", headers=h.token("carl", "coach", write=False))
    assert r.status_code == 200
    names = {c["staff_id"]: c.get("display_name") for c in r.json()}
    assert names == {"alice": "Alice Virtanen", "bert": None}
    assert "display_name" not in next(c for c in r.json() if c["staff_id"] == "bert")
    r = await h.client.get("/v1/coach/sign-offs", headers=h.token("carl", "coach", write=False))
    assert r.status_code == 200
    waiting = {(s["staff_id"], s.get("display_name")) for s in r.json()}
    assert waiting == {("alice", "Alice Virtanen"), ("bert", None)}  # Rookie's coach step waits for each


async def test_only_an_institution_admin_erases_and_the_id_remains_where_it_is_used(h: Harness) -> None:
    await profile(h, "alice", "staff", display_name="Alice Virtanen", email="alice@omnia.fi")
    r = await h.client.post(
        "/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": "carl"}, headers=h.token("alice", "staff")
    )
    assert r.status_code == 201
    r = await h.client.delete("/v1/people/alice", headers=h.token("mia", "manager"))
    problem(r, 403, "forbidden")
    r = await h.client.delete("/v1/people/alice", headers=h.token("admin", "institution-admin"))
    assert r.status_code == 200 and r.json()["id"] == "alice"
    r = await h.client.get("/v1/people/alice", headers=h.token("mia", "manager", write=False))
    problem(r, 404, "not-found")
    stored = await h.documents.get(COLLECTION, "omnia:alice")
    assert stored is not None and "Alice" not in str(stored) and "alice@" not in str(stored)
    r = await h.client.get("/v1/coach/coachees", headers=h.token("carl", "coach", write=False))
    assert [c["staff_id"] for c in r.json()] == ["alice"] and "display_name" not in r.json()[0]
    r = await h.client.delete("/v1/people/alice", headers=h.token("admin", "institution-admin"))
    problem(r, 404, "not-found")


async def test_an_hr_system_cannot_write_a_profile(h: Harness) -> None:
    r = await h.client.put("/v1/me/profile", json={"display_name": "x"}, headers=h.token("hr", "hr-system"))
    problem(r, 403, "forbidden")


async def _entry(h: Harness, staff_id: str) -> dict[str, Any] | None:
    r = await h.client.get(f"/v1/people/{staff_id}", headers=h.token("mia", "manager", write=False))
    return r.json() if r.status_code == 200 else None


async def _record_has(h: Harness, staff_id: str, hr_id: str) -> bool:
    record = await h.documents.get("staff_records", f"omnia:{staff_id}")
    return record is not None and any(e["hr_event_id"] == hr_id for e in record.get("hr_events", []))


async def test_an_accepted_staff_joined_makes_an_entry_and_a_duplicate_is_absorbed(h: Harness) -> None:
    join = await h.publish(
        topics.HR,
        HR_EVENT_ACCEPTED,
        hr("s-7", "staff.joined", {"name": "Aino Virtanen", "email": "aino@omnia.fi", "roles": ["coach"]}, hr_id="j1"),
    )

    async def entry_made() -> bool:
        return await _entry(h, "s-7") is not None

    await eventually(entry_made)
    assert await _entry(h, "s-7") == {
        "id": "s-7",
        "display_name": "Aino Virtanen",
        "email": "aino@omnia.fi",
        "roles": ["coach"],
        "updated_at": T1,
    }
    # A rename at the same instant, then the join delivered again: only its event id can tell it was applied.
    await h.publish(topics.HR, HR_EVENT_ACCEPTED, hr("s-7", "role.changed", {"name": "Aino V."}, hr_id="r1"))
    await h.republish(topics.HR, join)
    # A later event about the same person (same partition key, so after both) shows they were consumed.
    await h.publish(topics.HR, HR_EVENT_ACCEPTED, hr("s-7", "training.attended", {}, hr_id="t1"))

    async def all_consumed() -> bool:
        return await _record_has(h, "s-7", "t1")

    await eventually(all_consumed)
    entry = await _entry(h, "s-7")
    assert entry is not None and entry["display_name"] == "Aino V."
    stored = await h.documents.get(COLLECTION, "omnia:s-7")
    assert stored is not None and stored[APPLIED_FIELD].count(join.id) == 1
    r = await h.client.get("/v1/institution/coaches", headers=h.token("alice", "staff", write=False))
    assert r.json() == [{"id": "s-7", "display_name": "Aino V."}]


async def test_staff_left_erases_the_entry(h: Harness) -> None:
    await h.publish(
        topics.HR, HR_EVENT_ACCEPTED, hr("s-8", "staff.joined", {"name": "Leo", "roles": "coach"}, hr_id="j8")
    )
    left_at = datetime(2026, 9, 2, tzinfo=UTC).isoformat()
    await h.publish(topics.HR, HR_EVENT_ACCEPTED, hr("s-8", "staff.left", {}, hr_id="l8", occurred_at=left_at))

    async def left() -> bool:
        return await _record_has(h, "s-8", "l8")

    await eventually(left)
    assert await _entry(h, "s-8") is None
    r = await h.client.get("/v1/institution/coaches", headers=h.token("alice", "staff", write=False))
    assert r.json() == []
