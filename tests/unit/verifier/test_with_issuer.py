"""The issuer and the verifier on one embedded event log, as `make run` wires them: what the issuer signs the
verifier verifies, the issuer's profile event registers it, and its revocation reaches the verifier at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from issuer.harness import AppFetcher, Issuer, eligible, issuer_service  # the issuer tests' package

from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_credentials import SystemClock

from .harness import Service, checks_by_id, eventually, verifier_service
from .page_reader import ResultPage

pytestmark = pytest.mark.unit


async def issue(issuer: Issuer, staff_id: str = "s-1") -> dict[str, Any]:
    data = eligible(staff_id)
    await issuer.publish_eligible(data)
    await issuer.settled()
    page = await issuer.documents.find("credentials", {"institution": data["institution"], "staff_id": staff_id})
    found = [r for r in page.items if r["eligibility_id"] == data["eligibility_id"]]
    assert len(found) == 1, [e.data.get("error") for e in issuer.dead_letters()]
    return found[0]


async def test_issued_registered_verified_and_revoked(tmp_path: Path) -> None:
    async with issuer_service(tmp_path) as issuer:
        shared_log = SqliteEventLog(tmp_path / "events.sqlite3", poll_interval=0.02)
        async with verifier_service(
            tmp_path / "verifier", fetcher=AppFetcher(issuer.client), clock=SystemClock(), bus=shared_log
        ) as verifier:
            record = await issue(issuer)
            credential = record["credential"]

            async def registered() -> bool:
                report = await verifier.verify_json(credential)
                return bool(checks_by_id(report)["registered_issuer"]["outcome"] == "passed")

            await eventually(registered)  # issuer.profile.published -> the verifier's trust registry
            report = await verifier.verify_json(credential)
            assert report["outcome"] == "verified", report
            assert report["warnings"] == []
            assert checks_by_id(report)["status"]["code"] == "status_active"

            baked = await issuer.client.get(f"/v1/credentials/{record['credential_uuid']}/image.png")
            from_image = await verifier.client.post(
                "/v1/verify", content=baked.content, headers={"Content-Type": "image/png"}
            )
            assert from_image.json()["outcome"] == "verified", from_image.json()

            admin = issuer.auth("a-1", "institution-admin")
            revoked = await issuer.client.post(f"/v1/credentials/{record['credential_uuid']}/revoke", headers=admin)
            assert revoked.status_code == 200, revoked.text

            async def revocation_seen() -> bool:
                return bool((await verifier.verify_json(credential))["outcome"] == "failed")

            # The list was cached for its ttl (300 s): only badge.revoked can make this hold within the test.
            await eventually(revocation_seen)
            await assert_status_revoked(verifier, credential)


async def assert_status_revoked(verifier: Service, credential: dict[str, Any]) -> None:
    status = checks_by_id(await verifier.verify_json(credential))["status"]
    assert (status["outcome"], status["code"]) == ("failed", "status_revoked")


async def test_a_suspended_badge_is_not_verified_until_the_suspension_is_lifted(tmp_path: Path) -> None:
    async with issuer_service(tmp_path) as issuer:
        shared_log = SqliteEventLog(tmp_path / "events.sqlite3", poll_interval=0.02)
        async with verifier_service(
            tmp_path / "verifier", fetcher=AppFetcher(issuer.client), clock=SystemClock(), bus=shared_log
        ) as verifier:
            record = await issue(issuer)
            credential = record["credential"]
            assert (await verifier.verify_json(credential))["outcome"] == "verified"  # the lists are now cached
            manager = issuer.auth("m-1", "manager")
            base = f"/v1/credentials/{record['credential_uuid']}"
            assert (await issuer.client.post(f"{base}/suspend", headers=manager)).status_code == 200

            async def suspension_seen() -> bool:
                return bool((await verifier.verify_json(credential))["outcome"] == "failed")

            # cached for their ttl: only badge.suspended (dropping the suspension list) makes this hold in time
            await eventually(suspension_seen)
            status = checks_by_id(await verifier.verify_json(credential))["status"]
            assert (status["outcome"], status["code"]) == ("failed", "status_suspended")
            empty_image = {"image": ("", b"", "application/octet-stream")}
            response = await verifier.client.post(
                "/verify", data={"credential": json.dumps(credential)}, files=empty_image
            )
            page = ResultPage(response.text)  # the public page says so too
            assert page.outcome is not None and page.outcome.attrs["data-outcome"] == "failed"
            assert "ok" not in page.rows["status"].css and "✓" not in page.rows["status"].words

            assert (await issuer.client.post(f"{base}/unsuspend", headers=manager)).status_code == 200

            async def lifted() -> bool:
                return bool((await verifier.verify_json(credential))["outcome"] == "verified")

            await eventually(lifted)  # badge.unsuspended drops the cached suspension list
