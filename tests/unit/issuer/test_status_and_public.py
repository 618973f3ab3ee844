"""Public endpoints (status lists, credentials, baked images), revocation and suspension, and staff's own list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.errors import BackendUnavailableError
from rexvet_credentials import CheckOutcome, Outcome, SystemClock
from rexvet_credentials.baking import extract_image
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.status.bitstring import Bitstring
from rexvet_credentials.status.list_credential import read_list_credential
from rexvet_credentials.status_list_proof import list_proof_verifier

from .harness import BASE_URL, AppFetcher, Issuer, eligible, issuer_service

pytestmark = pytest.mark.unit


async def issue(issuer: Issuer, staff_id: str = "s-1", **fields: Any) -> dict[str, Any]:
    """Issue one credential through the bus and return its stored record."""
    data = eligible(staff_id, **fields)
    await issuer.publish_eligible(data)
    await issuer.settled()
    page = await issuer.documents.find("credentials", {"institution": data["institution"], "staff_id": staff_id})
    [record] = [r for r in page.items if r["eligibility_id"] == data["eligibility_id"]]
    return record


async def test_the_status_list_is_a_signed_list_credential_with_a_ttl(issuer: Issuer) -> None:
    record = await issue(issuer)
    url = record["credential"]["credentialStatus"]["statusListCredential"]
    response = await issuer.client.get(url)  # no token
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    listed = response.json()
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["issuer"] == "did:web:issuer.test:v1:issuers:omnia"  # the credentials' issuer
    parsed = read_list_credential(listed, url)
    assert parsed.purposes == {"revocation"}
    assert parsed.ttl is not None and parsed.ttl.total_seconds() == 300
    assert Bitstring.decode(parsed.encoded_list).length == 131_072
    resolver = network_ports(SystemClock(), fetcher=AppFetcher(issuer.client)).key_resolver
    verdict = await list_proof_verifier(resolver, SystemClock())(listed)
    assert verdict.valid, verdict.reason
    suspension = await issuer.client.get(url.removesuffix("revocation") + "suspension")
    assert read_list_credential(suspension.json(), str(suspension.url)).purposes == {"suspension"}
    assert (await issuer.client.get(url.replace("/status-lists/1/", "/status-lists/2/"))).status_code == 404
    assert (await issuer.client.get(url.removesuffix("revocation") + "refresh")).status_code == 422


async def test_the_credential_is_public_json_and_baked_images(issuer: Issuer) -> None:
    record = await issue(issuer)
    path = f"/v1/credentials/{record['credential_uuid']}"
    response = await issuer.client.get(path)
    assert response.status_code == 200
    assert response.json() == record["credential"]
    assert (await issuer.client.get(f"/v1/credentials/{record['credential_id']}")).json() == record["credential"]
    for image, media_type in (("image.png", "image/png"), ("image.svg", "image/svg+xml")):
        baked = await issuer.client.get(f"{path}/{image}")
        assert baked.status_code == 200 and baked.headers["content-type"] == media_type
        extracted = extract_image(baked.content)
        assert extracted.ob_version == "3.0"
        report = await issuer.verify(extracted.text.encode())
        assert report.outcome is Outcome.VERIFIED, report.to_dict()
    for unknown in ("00000000-0000-4000-8000-000000000000", "not-a-uuid"):
        missing = await issuer.client.get(f"/v1/credentials/{unknown}")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")


async def test_revocation_flips_the_status_check_once_and_is_idempotent(issuer: Issuer) -> None:
    record = await issue(issuer)
    admin = issuer.auth("a-1", "institution-admin")
    path = f"/v1/credentials/{record['credential_uuid']}/revoke"
    first = await issuer.client.post(path, json={"reason": "evidence withdrawn"}, headers=admin)
    assert first.status_code == 200, first.text
    assert first.json()["revoked"] is True
    again = await issuer.client.post(path, headers=admin)
    assert again.status_code == 200 and again.json()["revoked"] is True
    await issuer.settled()

    report = await issuer.verify(record["credential"])
    assert report.outcome is Outcome.FAILED
    assert report.check("status").outcome is CheckOutcome.FAILED
    assert report.check("status").code == "status_revoked"
    assert report.check("proof").outcome is CheckOutcome.PASSED

    [revoked] = issuer.of_type("badge.revoked")
    assert revoked.data["credential_id"] == record["credential_id"]
    assert revoked.data["staff_id"] == "s-1" and revoked.data["badge_id"] == "abroad-rookie"
    assert revoked.data["reason"] == "evidence withdrawn"
    assert revoked.data["status_list_credential"] == record["credential"]["credentialStatus"]["statusListCredential"]
    assert revoked.partitionkey == "omnia:s-1"

    # a revoked credential cannot be suspended; another credential on the same list is unaffected
    suspend = await issuer.client.post(f"/v1/credentials/{record['credential_uuid']}/suspend", headers=admin)
    assert suspend.status_code == 409
    other = await issue(issuer, "s-2")
    assert (await issuer.verify(other["credential"])).outcome is Outcome.VERIFIED


async def test_suspension_sets_and_clears_the_suspension_bit(issuer: Issuer) -> None:
    record = await issue(issuer)
    manager = issuer.auth("m-1", "manager")
    base = f"/v1/credentials/{record['credential_uuid']}"
    list_url = record["credential"]["credentialStatus"]["statusListCredential"].removesuffix("revocation")
    index = int(record["credential"]["credentialStatus"]["statusListIndex"])

    async def suspended_bit() -> bool:
        listed = (await issuer.client.get(list_url + "suspension")).json()
        return Bitstring.decode(listed["credentialSubject"]["encodedList"]).get(index)

    response = await issuer.client.post(f"{base}:suspend", headers=manager)  # the custom-method form works too
    assert response.status_code == 200, response.text
    assert response.json()["suspended"] is True
    assert await suspended_bit()
    assert (await issuer.client.post(f"{base}/suspend", headers=manager)).status_code == 200
    await issuer.settled()
    assert len(issuer.of_type("badge.suspended")) == 1
    # the platform's verifier reads the suspension list beside the revocation list the credential names
    suspended = await issuer.verify(record["credential"])
    assert suspended.outcome is Outcome.FAILED
    assert suspended.check("status").code == "status_suspended"
    assert record["credential"]["credentialStatus"]["statusPurpose"] == "revocation"  # OB 3.0: one entry

    response = await issuer.client.post(f"{base}/unsuspend", headers=manager)
    assert response.status_code == 200 and response.json()["suspended"] is False
    assert not await suspended_bit()
    assert (await issuer.verify(record["credential"])).outcome is Outcome.VERIFIED
    assert (await issuer.client.post(f"{base}/unsuspend", headers=manager)).status_code == 200
    await issuer.settled()
    lifted = issuer.of_type("badge.unsuspended")
    assert len(lifted) == 1  # idempotent: the second request changed nothing
    assert lifted[0].data["status_list_credential"] == list_url + "suspension"


async def test_another_institution_gets_404_and_staff_403(issuer: Issuer) -> None:
    record = await issue(issuer)
    path = f"/v1/credentials/{record['credential_uuid']}/revoke"
    other_admin = issuer.auth("a-9", "institution-admin", tenant="stadin-ao")
    response = await issuer.client.post(path, headers=other_admin)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (await issuer.client.post(path, headers=issuer.auth("s-1", "staff"))).status_code == 403
    assert (await issuer.client.post(path)).status_code == 401
    await issuer.settled()
    assert issuer.of_type("badge.revoked") == []
    assert (await issuer.verify(record["credential"])).outcome is Outcome.VERIFIED


async def test_staff_read_their_own_credentials(issuer: Issuer) -> None:
    mine = await issue(issuer, "s-1")
    await issue(issuer, "s-2")
    await issue(issuer, "s-1", tenant="stadin-ao")  # the same staff id in another institution
    response = await issuer.client.get("/v1/me/credentials", headers=issuer.auth("s-1", "staff"))
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item["credential"] == mine["credential"]
    assert item["url"] == f"{BASE_URL}/v1/credentials/{mine['credential_uuid']}"
    assert (item["badge_id"], item["level"], item["revoked"]) == ("abroad-rookie", "rookie", False)
    other_tenant = await issuer.client.get("/v1/me/credentials", headers=issuer.auth("s-1", "staff", tenant="x"))
    assert other_tenant.json()["items"] == []
    assert (await issuer.client.get("/v1/me/credentials", headers=issuer.auth("m", "manager"))).status_code == 403


async def test_admins_and_managers_list_their_institutions_credentials(issuer: Issuer) -> None:
    first = await issue(issuer, "s-1")
    second = await issue(issuer, "s-2")
    await issue(issuer, "s-3", tenant="stadin-ao")
    manager = issuer.auth("m-1", "manager")
    listed = (await issuer.client.get("/v1/credentials", headers=manager)).json()
    assert [i["id"] for i in listed["items"]] == [second["credential_uuid"], first["credential_uuid"]]
    one = (await issuer.client.get("/v1/credentials", params={"staff_id": "s-1"}, headers=manager)).json()
    assert [i["id"] for i in one["items"]] == [first["credential_uuid"]]
    paged = (await issuer.client.get("/v1/credentials", params={"limit": 1}, headers=manager)).json()
    assert len(paged["items"]) == 1 and paged["next_cursor"]
    rest = await issuer.client.get("/v1/credentials", params={"cursor": paged["next_cursor"]}, headers=manager)
    assert [i["id"] for i in rest.json()["items"]] == [first["credential_uuid"]]
    assert (await issuer.client.get("/v1/credentials", headers=issuer.auth("s-1", "staff"))).status_code == 403


class FailingReplace(SqliteDocumentStore):
    """The embedded store, failing the next replace in one collection (a crash between two writes)."""

    fail_collection: str | None = None

    async def replace(self, collection: str, document: dict[str, Any]) -> dict[str, Any]:
        if collection == self.fail_collection:
            self.fail_collection = None
            raise BackendUnavailableError("the database went away")
        return await super().replace(collection, document)


async def test_a_revocation_interrupted_after_the_bit_is_visible_and_completed_by_a_retry(tmp_path: Path) -> None:
    store = FailingReplace(tmp_path / "issuer.sqlite3")
    async with issuer_service(tmp_path, documents=store) as issuer:
        record = await issue(issuer)
        admin = issuer.auth("a-1", "institution-admin")
        path = f"/v1/credentials/{record['credential_uuid']}/revoke"
        store.fail_collection = "credentials"
        assert (await issuer.client.post(path, headers=admin)).status_code == 503
        report = await issuer.verify(record["credential"])
        assert report.check("status").code == "status_revoked"  # verifiers already see it
        stored = await store.get("credentials", record["_id"])
        assert stored is not None and stored["revoked"] is False

        assert (await issuer.client.post(path, headers=admin)).status_code == 200
        await issuer.settled()
        assert len(issuer.of_type("badge.revoked")) == 1
        stored = await store.get("credentials", record["_id"])
        assert stored is not None and stored["revoked"] is True
