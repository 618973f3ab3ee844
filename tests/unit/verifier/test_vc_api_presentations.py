"""W3C VC-API `POST /presentations/verify` (the holder's proof, challenge, domain, holder binding, the credentials
inside) and `/credentials/verify` for a plain VCDM 2.0 credential that is no Open Badge."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from rexvet_credentials.data_integrity import hash_data
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_base58btc

from .credentials import signed
from .harness import Service, assert_problem

pytestmark = pytest.mark.unit

VC2 = "https://www.w3.org/ns/credentials/v2"
HOLDER = Ed25519SigningKey.generate()
CHALLENGE = "u7Yq3XKb2JmVtT0eR5"
DOMAIN = "verifier.example"


def generic_vc() -> dict[str, Any]:
    """A plain credential with an inline context (expanded in safe mode), signed by a did:key issuer."""
    issuer = Ed25519SigningKey.generate()
    credential = {
        "@context": [VC2, {"ExampleDegreeCredential": "https://example.org/vocab#ExampleDegreeCredential"}],
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "issuer": issuer.controller,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": HOLDER.controller, "name": "Alice"},
    }
    return signed(credential, issuer)


def presentation(**overrides: Any) -> dict[str, Any]:
    unsigned: dict[str, Any] = {
        "@context": [VC2],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.controller,
        "verifiableCredential": [generic_vc()],
    }
    unsigned.update(overrides)
    return unsigned


def sign_presentation(
    unsigned: dict[str, Any], key: Ed25519SigningKey = HOLDER, challenge: str = CHALLENGE, domain: str = DOMAIN
) -> dict[str, Any]:
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-05-01T00:00:00Z",
        "verificationMethod": key.verification_method,
        "proofPurpose": "authentication",
        "challenge": challenge,
        "domain": domain,
    }
    signature = key.private_key.sign(hash_data(unsigned, proof))
    return {**unsigned, "proof": {**proof, "proofValue": encode_base58btc(signature)}}


async def verify_vp(service: Service, vp: dict[str, Any], **options: Any) -> Any:
    return await service.client.post(
        "/presentations/verify",
        json={"verifiablePresentation": vp, "options": {"challenge": CHALLENGE, "domain": DOMAIN, **options}},
    )


async def test_a_generic_vcdm_2_credential_verifies(service: Service) -> None:
    response = await service.client.post("/credentials/verify", json={"verifiableCredential": generic_vc()})
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True
    structure = next(c for c in response.json()["report"]["checks"] if c["id"] == "structure")
    assert "VC data model" in structure["message"]


async def test_a_generic_credential_breaking_the_data_model_is_not_verified(service: Service) -> None:
    credential = generic_vc()
    credential.pop("proof")
    credential["validFrom"] = "Sat 25 Feb 2023 07:16:31 PM CST"
    issuer = Ed25519SigningKey.generate()
    credential["issuer"] = issuer.controller
    response = await service.client.post(
        "/credentials/verify", json={"verifiableCredential": signed(credential, issuer)}
    )
    problem = assert_problem(response, 422)
    assert any("validFrom" in error["message"] for error in problem["errors"]), problem


async def test_a_presentation_signed_by_its_holder_with_the_challenge_verifies(service: Service) -> None:
    response = await verify_vp(service, sign_presentation(presentation()))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verified"] is True and body["errors"] == []
    assert {"proof", "challenge", "domain", "holder"} <= set(body["presentationResult"]["checks"])
    assert [result["verified"] for result in body["credentialResults"]] == [True]


async def test_a_wrong_challenge_is_refused(service: Service) -> None:
    response = await verify_vp(service, sign_presentation(presentation(), challenge="another-request"))
    problem = assert_problem(response, 422)
    assert problem["verified"] is False
    assert {"check": "challenge", "code": "challenge_mismatch"}.items() <= problem["errors"][0].items()


async def test_a_wrong_domain_is_refused(service: Service) -> None:
    response = await verify_vp(service, sign_presentation(presentation(), domain="elsewhere.example"))
    problem = assert_problem(response, 422)
    assert [error["code"] for error in problem["errors"]] == ["domain_mismatch"]


async def test_a_presentation_signed_by_someone_else_than_its_holder_is_refused(service: Service) -> None:
    someone = Ed25519SigningKey.generate()
    response = await verify_vp(service, sign_presentation(presentation(), key=someone))
    problem = assert_problem(response, 422)
    assert [error["code"] for error in problem["errors"]] == ["holder_mismatch"]


async def test_a_changed_presentation_or_a_bad_credential_inside_is_refused(service: Service) -> None:
    vp = sign_presentation(presentation())
    changed = copy.deepcopy(vp)
    changed["verifiableCredential"][0]["credentialSubject"]["name"] = "Mallory"
    problem = assert_problem(await verify_vp(service, changed), 422)
    codes = [error["code"] for error in problem["errors"]]
    assert codes == ["signature_invalid", "signature_invalid"]  # the holder's proof and the issuer's

    unsigned_vc = generic_vc()
    unsigned_vc.pop("proof")
    problem = assert_problem(
        await verify_vp(service, sign_presentation(presentation(verifiableCredential=[unsigned_vc]))), 422
    )
    assert [error["code"] for error in problem["errors"]] == ["proof_missing"]


async def test_a_presentation_without_proof_or_not_one_is_refused(service: Service) -> None:
    problem = assert_problem(await verify_vp(service, presentation()), 422)
    assert [error["code"] for error in problem["errors"]] == ["proof_missing"]
    not_a_vp = sign_presentation({"@context": [VC2], "type": ["VerifiableCredential"], "name": "not a presentation"})
    problem = assert_problem(await verify_vp(service, not_a_vp), 422)
    assert problem["errors"][0]["code"] == "structure_invalid" and "VerifiablePresentation" in problem["detail"]
    assert_problem(await service.client.post("/presentations/verify", json={"options": {}}), 400)


async def test_a_credential_serialised_into_a_string_is_not_a_map(service: Service) -> None:
    text = json.dumps(generic_vc())
    response = await service.client.post("/credentials/verify", json={"verifiableCredential": text})
    problem = assert_problem(response, 400)
    assert problem["code"] == "not_an_object"
