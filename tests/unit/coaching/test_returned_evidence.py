"""Evidence returned for revision does not count: only an approval completes a requirement, whatever came before.

Driven through the coaching app and its embedded event log, as the evidence service's events arrive in production:
submitted -> returned -> resubmitted -> approved, with a late duplicate of the return on the way.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from rexvet_common.events import topics

from .flows import COACH, STAFF
from .harness import Harness, eventually

pytestmark = pytest.mark.unit

EVIDENCE_ID = "ev-7"


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def _enrolled_with_steps_done(h: Harness) -> str:
    staff = h.token(STAFF, "staff")
    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": COACH}, headers=staff)
    assert r.status_code == 201, r.text
    eid: str = r.json()["id"]
    for step in ("learning-goals", "take-part"):
        r = await h.client.post(f"/v1/me/enrolments/{eid}/steps/{step}/complete", headers=staff)
        assert r.status_code == 200, r.text
    r = await h.client.post(
        f"/v1/staff/{STAFF}/enrolments/{eid}/steps/coach-debrief/sign-off", headers=h.token(COACH, "coach")
    )
    assert r.status_code == 200, r.text
    assert r.json()["next_step"]["action"] == "submit_evidence"
    return eid


async def _received(h: Harness) -> dict[str, Any]:
    r = await h.client.get(f"/v1/staff/{STAFF}/evidence", headers=h.token(STAFF, "staff"))
    assert r.status_code == 200, r.text
    [item] = [i for i in r.json()["items"] if i["evidence_id"] == EVIDENCE_ID]
    return dict(item)


async def _consumed_up_to_here(h: Harness) -> None:
    """A later event on the same key, once visible, shows the ones before it were consumed."""
    sentinel = f"sentinel-{uuid.uuid4()}"
    await h.publish(
        topics.EVIDENCE,
        "org.rexvet.evidence.submitted.v1",
        {"institution": h.tenant, "staff_id": STAFF, "evidence_id": sentinel, "title": "x", "submitted_at": _now()},
    )

    async def sentinel_seen() -> bool:
        r = await h.client.get(f"/v1/staff/{STAFF}/evidence", headers=h.token(STAFF, "staff"))
        return any(i["evidence_id"] == sentinel for i in r.json()["items"])

    await eventually(sentinel_seen)
    await h.settled()


async def test_returned_evidence_never_makes_a_badge_eligible_until_it_is_approved(h: Harness) -> None:
    eid = await _enrolled_with_steps_done(h)
    about = {"institution": h.tenant, "staff_id": STAFF, "evidence_id": EVIDENCE_ID}
    links = {"badge_id": "abroad-rookie", "requirement_id": "mobility"}
    await h.publish(
        topics.EVIDENCE,
        "org.rexvet.evidence.submitted.v1",
        {**about, **links, "title": "Tallinn", "submitted_at": _now()},
    )
    returned = {**about, **links, "reviewer": COACH, "comment": "Add the letter", "submission": 1}
    late_duplicate = await h.publish(
        topics.EVIDENCE, "org.rexvet.evidence.returned.v1", {**returned, "returned_at": _now()}
    )
    await _consumed_up_to_here(h)

    assert h.of_type("badge.eligible") == []
    assert (await _received(h))["status"] == "returned"
    enrolment = (await h.client.get(f"/v1/me/enrolments/{eid}", headers=h.token(STAFF, "staff"))).json()
    assert enrolment["next_step"]["action"] == "submit_evidence"  # still missing: a return is not an approval

    await h.publish(
        topics.EVIDENCE,
        "org.rexvet.evidence.resubmitted.v1",
        {**about, **links, "title": "Tallinn, with the letter", "submission": 2, "resubmitted_at": _now()},
    )
    await h.republish(topics.EVIDENCE, late_duplicate)  # at-least-once: an older event may come again
    await _consumed_up_to_here(h)

    assert h.of_type("badge.eligible") == []
    received = await _received(h)
    assert (received["status"], received["submissions"], received["title"]) == (
        "submitted",
        2,
        "Tallinn, with the letter",
    )

    await h.publish(
        topics.EVIDENCE,
        "org.rexvet.evidence.reviewed.v1",
        {**about, **links, "decision": "approved", "reviewer": "c-2", "submission": 2, "reviewed_at": _now()},
    )
    await _consumed_up_to_here(h)

    [eligible] = h.of_type("badge.eligible")
    assert eligible.data["badge_id"] == "abroad-rookie"
    assert (await _received(h))["status"] == "approved"
