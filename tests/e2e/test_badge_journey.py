"""The whole product through `make run`, as its users meet it: a staff member climbs the first rung of the Abroad
ladder (self-assessment, enrolment, steps, a coach's sign-off), the institution's HR system reports the mobility, the
issuer signs the Open Badge, anyone verifies it on the public verifier, and a revocation reaches both the verifier and
the ladder. Every hop crosses a process boundary over the embedded event log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from make_run import LOOPBACK, Platform, make_run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

TENANT = "omnia"
EFFECT_SECONDS = 90.0


def abroad(platform: Platform, headers: dict[str, str]) -> dict[str, Any]:
    ladder = LOOPBACK.get(platform.urls["coaching"] + "/v1/me/ladder", headers=headers)
    assert ladder.status_code == 200, ladder.text
    found: dict[str, Any] = next(d for d in ladder.json()["directions"] if d["direction"]["id"] == "abroad")
    return found


def verify(platform: Platform, credential: dict[str, Any]) -> dict[str, Any]:
    response = LOOPBACK.post(platform.urls["verifier"] + "/v1/verify", json=credential)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def check(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in report["checks"] if c["id"] == check_id)
    return found


def test_a_staff_member_earns_a_badge_anyone_can_verify_until_it_is_revoked(repo_root: Path, tmp_path: Path) -> None:
    with make_run(repo_root, tmp_path) as platform:
        urls = platform.urls
        staff = platform.token(TENANT, "alice", ["staff"], ["coaching:read", "coaching:write", "issuer:read"])
        coach = platform.token(TENANT, "carl", ["coach"], ["coaching:read", "coaching:write"])
        hr = platform.token(TENANT, "hris", ["hr-system"], ["hr:write"])
        admin = platform.token(TENANT, "ada", ["institution-admin"], ["issuer:read", "issuer:write"])

        assessed = LOOPBACK.post(
            urls["coaching"] + "/v1/me/self-assessments/abroad",
            json={"answers": {"mobility": "never", "projects": "never"}},
            headers=staff,
        )
        assert assessed.status_code == 200, assessed.text
        assert assessed.json()["suggested_badge_id"] == "abroad-rookie"
        recipient = LOOPBACK.put(
            urls["coaching"] + "/v1/me/recipient", json={"email": "alice@omnia.example"}, headers=staff
        )
        assert recipient.status_code == 200, recipient.text

        enrolled = LOOPBACK.post(
            urls["coaching"] + "/v1/me/enrolments",
            json={"badge_id": "abroad-rookie", "coach_id": "carl"},
            headers=staff,
        )
        assert enrolled.status_code == 201, enrolled.text
        enrolment = enrolled.json()["id"]
        for step in ("learning-goals", "take-part"):
            done = LOOPBACK.post(
                urls["coaching"] + f"/v1/me/enrolments/{enrolment}/steps/{step}/complete", headers=staff
            )
            assert done.status_code == 200, done.text
        signed_off = LOOPBACK.post(
            urls["coaching"] + f"/v1/staff/alice/enrolments/{enrolment}/steps/coach-debrief/sign-off", headers=coach
        )
        assert signed_off.status_code == 200, signed_off.text
        assert abroad(platform, staff)["level_held"] is None

        # The institution's HR system reports the mobility; the framework's rule recognises it as the evidence.
        pushed = LOOPBACK.post(
            urls["evidence"] + "/v1/hr/events",
            json={
                "id": "HR-2026-0042",
                "type": "mobility.completed",
                "staff_id": "alice",
                "occurred_at": datetime.now(UTC).isoformat(),
                "fields": {"duration_days": 12, "host": "Tallinn VET school"},
            },
            headers=hr,
        )
        assert pushed.status_code in (200, 201, 202), pushed.text

        def issued() -> bool:
            mine = LOOPBACK.get(urls["issuer"] + "/v1/me/credentials", headers=staff)
            return mine.status_code == 200 and len(mine.json()["items"]) == 1

        platform.wait_for(issued, EFFECT_SECONDS, "the issuer signing alice's badge")
        platform.wait_for(
            lambda: abroad(platform, staff)["level_held"] is not None, EFFECT_SECONDS, "the ladder moving"
        )
        rung = abroad(platform, staff)
        assert rung["level_held"]["id"] == "rookie"
        assert rung["next_step"]["badge_id"] == "abroad-advanced"

        item = LOOPBACK.get(urls["issuer"] + "/v1/me/credentials", headers=staff).json()["items"][0]
        credential = item["credential"]
        public = LOOPBACK.get(item["url"])  # its public address: the link is the key, no token
        assert public.status_code == 200 and public.json() == credential
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert credential["credentialSubject"]["achievement"]["name"]

        # Anyone verifies it; the issuer is on the consortium's registry through its published profile.
        platform.wait_for(
            lambda: verify(platform, credential)["warnings"] == [], EFFECT_SECONDS, "the issuer registered"
        )
        report = verify(platform, credential)
        assert report["outcome"] == "verified", report
        assert check(report, "status")["code"] == "status_active"

        revoked = LOOPBACK.post(item["url"] + "/revoke", headers=admin)
        assert revoked.status_code == 200, revoked.text
        platform.wait_for(
            lambda: verify(platform, credential)["outcome"] == "failed",
            EFFECT_SECONDS,
            "the verifier seeing it revoked",
        )
        assert check(verify(platform, credential), "status")["code"] == "status_revoked"
        platform.wait_for(lambda: abroad(platform, staff)["level_held"] is None, EFFECT_SECONDS, "the ladder dropping")
