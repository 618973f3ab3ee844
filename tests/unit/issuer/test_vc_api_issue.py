"""W3C VC-API POST /credentials/issue: an institution admin's OB 3.0 credential signed with the institution's key,
checked by rexvet_credentials before and verified by it after."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from rexvet_credentials import CheckOutcome, Outcome
from rexvet_issuer.application import credentials
from rexvet_issuer.application.status_lists import Allocation
from rexvet_issuer.bootstrap import IssuerContext

from .harness import BASE_URL, Issuer, achievement

pytestmark = pytest.mark.unit

VC2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
PROFILE_URL = f"{BASE_URL}/v1/issuers/omnia"  # where the Profile and the status lists live
PROFILE = "did:web:issuer.test:v1:issuers:omnia"  # the issuer's id: its did:web, whose document is under PROFILE_URL
HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def unsigned(**overrides: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": [VC2, OB],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Abroad rookie",
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "id": HOLDER, "achievement": achievement()},
    }
    credential.update(overrides)
    return {name: value for name, value in credential.items() if value is not None}


async def issue(issuer: Issuer, body: dict[str, Any], role: str = "institution-admin") -> httpx.Response:
    return await issuer.client.post("/credentials/issue", json=body, headers=issuer.auth("admin-1", role))


def context_of(issuer: Issuer) -> IssuerContext:
    context = issuer.app.state.runtime.context
    assert isinstance(context, IssuerContext)
    return context


async def test_an_admin_gets_the_credential_signed_by_the_institutions_key(issuer: Issuer) -> None:
    given = unsigned()

    response = await issue(issuer, {"credential": given, "options": {}})

    assert response.status_code == 201, response.text
    assert set(response.json()) == {"verifiableCredential"}
    signed = response.json()["verifiableCredential"]
    assert signed["issuer"] == {"id": PROFILE, "type": ["Profile"], "name": "omnia"}  # filled in: it was absent
    assert {name: signed[name] for name in given} == given  # the caller's claims, unchanged
    proof = signed["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == (
        "DataIntegrityProof",
        "eddsa-rdfc-2022",
        "assertionMethod",
    )
    did_document = (await issuer.client.get("/v1/issuers/omnia/did.json")).json()
    assert proof["verificationMethod"] == did_document["assertionMethod"][-1]  # the institution's active key
    assert "credentialStatus" not in signed  # no status unless the options ask

    report = await issuer.verify(signed)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    for check in ("structure", "proof", "key_binding"):
        assert report.check(check).outcome is CheckOutcome.PASSED, report.to_dict()

    tampered = {**signed, "name": "Abroad expert"}
    assert (await issuer.verify(tampered)).check("proof").outcome is CheckOutcome.FAILED
    # Nothing kept, nothing announced: a ladder moves only on coaching's badge.eligible.
    assert await issuer.documents.count(credentials.COLLECTION) == 0
    assert issuer.of_type("badge.issued") == []


async def test_the_issuer_may_be_given_as_the_institutions_id(issuer: Issuer) -> None:
    as_id = await issue(issuer, {"credential": unsigned(issuer=PROFILE)})
    assert as_id.status_code == 201, as_id.text
    assert as_id.json()["verifiableCredential"]["issuer"] == {"id": PROFILE, "type": ["Profile"], "name": "omnia"}
    assert (await issuer.verify(as_id.json()["verifiableCredential"])).outcome is Outcome.VERIFIED

    without_id = await issue(issuer, {"credential": unsigned(issuer={"type": ["Profile"], "name": "Omnia VET"})})
    assert without_id.status_code == 201, without_id.text
    assert without_id.json()["verifiableCredential"]["issuer"] == {
        "type": ["Profile"],
        "name": "Omnia VET",
        "id": PROFILE,
    }


async def test_id_and_valid_from_are_filled_in_when_absent(issuer: Issuer) -> None:
    response = await issue(issuer, {"credential": unsigned(id=None, validFrom=None)})
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    assert uuid.UUID(signed["id"].removeprefix("urn:uuid:")) and signed["id"].startswith("urn:uuid:")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", signed["validFrom"]), signed["validFrom"]
    assert (await issuer.verify(signed)).outcome is Outcome.VERIFIED


async def test_a_status_entry_only_when_asked_and_it_is_a_live_one(issuer: Issuer) -> None:
    credential = unsigned()
    body = {"credential": credential, "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}}}

    response = await issue(issuer, body)

    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    status = signed["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == f"{PROFILE_URL}/status-lists/1/revocation"
    report = await issuer.verify(signed)
    assert report.outcome is Outcome.VERIFIED and report.check("status").code == "status_active", report.to_dict()

    again = await issue(issuer, body)  # the same credential id: the same reserved index
    assert again.json()["verifiableCredential"]["credentialStatus"] == status

    # The index is the institution's: setting its bit revokes this credential for every verifier.
    allocation = Allocation("omnia", 1, int(status["statusListIndex"]))
    await context_of(issuer).status_lists.set_status(allocation, "revocation", True)
    revoked = await issuer.verify(signed)
    assert revoked.outcome is Outcome.FAILED and revoked.check("status").code == "status_revoked"


async def test_another_issuer_a_proof_or_a_status_of_ones_own_is_a_400(issuer: Issuer) -> None:
    cases = {
        "https://elsewhere.example/issuers/x": unsigned(issuer="https://elsewhere.example/issuers/x"),
        "issuer.id must be": unsigned(issuer={"id": "https://elsewhere.example/issuers/x", "type": ["Profile"]}),
        "already has a proof": unsigned(proof={"type": "DataIntegrityProof"}),
        "options.credentialStatus": unsigned(
            credentialStatus={
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "7",
                "statusListCredential": f"{PROFILE_URL}/status-lists/1/revocation",
            }
        ),
        "@context": unsigned(**{"@context": [OB]}),
    }
    ask = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
    for expected, credential in cases.items():
        response = await issue(issuer, {"credential": credential, "options": ask})
        assert response.status_code == 400, (expected, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert expected in response.json()["detail"], response.json()
    assert await context_of(issuer).status_lists.list_credential("omnia", 1, "revocation") is None  # no index taken


async def test_a_badge_that_is_not_ob_3_is_a_422_naming_what_is_wrong(issuer: Issuer) -> None:
    no_subject = unsigned(credentialSubject=None)
    ask = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
    response = await issue(issuer, {"credential": no_subject, "options": ask})
    assert response.status_code == 400, response.text  # the VC data model's rule already
    assert any(error["location"] == "credential.credentialSubject" for error in response.json()["errors"])
    assert await context_of(issuer).status_lists.list_credential("omnia", 1, "revocation") is None  # no index taken

    no_achievement = unsigned(credentialSubject={"type": ["AchievementSubject"], "id": HOLDER})
    response = await issue(issuer, {"credential": no_achievement})
    assert response.status_code == 422, response.text  # OB 3.0's rule
    assert any(e["location"] == "credential.credentialSubject.achievement" for e in response.json()["errors"])

    undefined_term = unsigned(favouriteColour="green")  # no context defines it: a verifier would drop it
    response = await issue(issuer, {"credential": undefined_term})
    assert response.status_code == 422, response.text
    assert response.json()["type"] == "https://rexvet.org/problems/invalid-credential"

    for body in (
        {"credential": "a string"},
        {"credential": unsigned(), "options": {"mandatoryPointers": ["/issuer"]}},
        {},
    ):
        response = await issue(issuer, body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"


def generic(**overrides: Any) -> dict[str, Any]:
    """A plain VCDM 2.0 credential, no Open Badge: the W3C suites' kind."""
    credential: dict[str, Any] = {
        "@context": [VC2, {"@vocab": "https://example.org/vocab#"}],
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "issuer": PROFILE,
        "credentialSubject": {"id": HOLDER, "degree": "Bachelor of Science"},
    }
    credential.update(overrides)
    return credential


async def test_a_generic_vc_is_issued_under_the_did_web_and_verifies(issuer: Issuer) -> None:
    given = generic(validFrom="2026-01-01T00:00:00+02:00", validUntil="2027-01-01T00:00:00Z")

    response = await issue(issuer, {"credential": given})

    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    assert {name: signed[name] for name in given} == given  # the issuer kept as the caller wrote it, a URL
    assert signed["proof"]["verificationMethod"].startswith(PROFILE + "#")
    report = await issuer.verify(signed)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    tampered = {**signed, "credentialSubject": {"id": HOLDER, "degree": "Doctor of Science"}}
    assert (await issuer.verify(tampered)).check("proof").outcome is CheckOutcome.FAILED


async def test_a_vcdm_1_1_credential_is_issued_with_the_data_integrity_context(issuer: Issuer) -> None:
    given = generic(**{"@context": ["https://www.w3.org/2018/credentials/v1", {"@vocab": "https://example.org/v#"}]})
    response = await issue(issuer, {"credential": given})
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    assert signed["@context"][-1] == "https://w3id.org/security/data-integrity/v2"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", signed["issuanceDate"])
    assert (await issuer.verify(signed)).outcome is Outcome.VERIFIED


@pytest.mark.parametrize(
    ("overrides", "location"),
    [
        ({"validFrom": "Sat 25 Feb 2023 07:16:31 PM CST"}, "credential.validFrom"),
        ({"validFrom": "2023-02-26T01:21:51"}, "credential.validFrom"),  # no timezone: not a dateTimeStamp
        ({"validUntil": "Sun, 26 Feb 2023 01:22:14 +0000"}, "credential.validUntil"),
        ({"validFrom": "2023-02-26T01:21:23Z", "validUntil": "2023-02-25T19:21:20-06:00"}, "credential.validUntil"),
        ({"termsOfUse": {"id": "https://example.org/policies/1"}}, "credential.termsOfUse.type"),
        ({"refreshService": [{"url": "https://example.org/refresh"}]}, "credential.refreshService.0.type"),
        ({"evidence": {"id": "https://example.org/evidence/1"}}, "credential.evidence.type"),
        ({"credentialSchema": {"id": "https://example.org/schema.json"}}, "credential.credentialSchema.type"),
        ({"credentialSchema": {"type": "JsonSchema"}}, "credential.credentialSchema.id"),
        ({"credentialStatus": {"id": "https://example.org/status/1"}}, "credential.credentialStatus.type"),
        ({"id": None}, "credential.id"),
        ({"id": "not a url"}, "credential.id"),
        ({"issuer": None}, "credential.issuer"),
        ({"issuer": {"id": None}}, "credential.issuer.id"),
        ({"credentialSubject": {}}, "credential.credentialSubject"),
        ({"name": {"@value": "Degree", "@language": "en", "extra": "x"}}, "credential.name"),
    ],
)
async def test_what_breaks_the_vc_data_model_is_a_400_naming_the_property(
    issuer: Issuer, overrides: dict[str, Any], location: str
) -> None:
    ask = {"credentialStatus": {"type": "BitstringStatusListEntry"}}
    response = await issue(issuer, {"credential": generic(**overrides), "options": ask})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://rexvet.org/problems/not-vc-data-model"
    assert location in [error["location"] for error in problem["errors"]], problem
    assert location.removeprefix("credential.") in problem["detail"]
    assert await context_of(issuer).status_lists.list_credential("omnia", 1, "revocation") is None  # no index taken


async def test_a_callers_status_entry_is_signed_as_given_and_a_suspension_entry_on_request(issuer: Issuer) -> None:
    theirs = {
        "id": "https://status.example.org/lists/3#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://status.example.org/lists/3",
    }
    response = await issue(issuer, {"credential": generic(credentialStatus=theirs)})
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["credentialStatus"] == theirs

    ask = {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}}
    response = await issue(issuer, {"credential": generic(id=f"urn:uuid:{uuid.uuid4()}"), "options": ask})
    assert response.status_code == 201, response.text
    entry = response.json()["verifiableCredential"]["credentialStatus"]
    assert entry["statusPurpose"] == "suspension"
    assert entry["statusListCredential"] == f"{PROFILE_URL}/status-lists/1/suspension"


async def test_only_an_institution_admin_with_issuer_write_signs(issuer: Issuer) -> None:
    body = {"credential": unsigned()}
    for role in ("staff", "manager", "coach"):
        response = await issue(issuer, body, role)
        assert response.status_code == 403, (role, response.text)
    anonymous = await issuer.client.post("/credentials/issue", json=body)
    assert anonymous.status_code == 401
