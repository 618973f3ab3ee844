"""W3C VC-API `POST /credentials/verify`: 200 with a VerificationResult when verified, 422 problem when not."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from .credentials import signed, with_status
from .harness import Service, assert_problem, serve_issuer_of

pytestmark = pytest.mark.unit


async def test_verified_credential_is_200(service: Service) -> None:
    response = await service.client.post(
        "/credentials/verify", json={"verifiableCredential": signed(), "options": {"checks": ["proof"]}}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["verified"] is True
    assert result["errors"] == []
    assert "proof" in result["checks"] and "status" in result["checks"]
    assert result["report"]["outcome"] == "verified"


async def test_vc_jwt_string_and_enveloped_credential(service: Service, validator_dir: Path) -> None:
    token = (validator_dir / "simple-jwt.png").read_bytes()
    from rexvet_credentials.baking import extract_png

    jwt = extract_png(token).text
    assert service.documents is not None
    serve_issuer_of(service.documents, jwt.encode())
    plain = await service.client.post("/credentials/verify", json={"verifiableCredential": jwt})
    enveloped = await service.client.post(
        "/credentials/verify",
        json={
            "verifiableCredential": {
                "@context": "https://www.w3.org/ns/credentials/v2",
                "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+jwt,{jwt}",
            }
        },
    )
    assert plain.status_code == enveloped.status_code == 200, (plain.text, enveloped.text)


async def test_tampered_credential_is_422_with_the_report(service: Service) -> None:
    tampered = copy.deepcopy(signed())
    tampered["validFrom"] = "2020-01-01T00:00:00Z"
    response = await service.client.post("/credentials/verify", json={"verifiableCredential": tampered})
    problem = assert_problem(response, 422)
    assert problem["verified"] is False
    assert problem["outcome"] == "failed"
    assert {"check": "proof", "code": "signature_invalid"}.items() <= problem["errors"][0].items()
    assert problem["report"]["checks"][0]["id"] == "parse"
    assert "signature" in problem["detail"]


async def test_incomplete_is_not_verified_either(service: Service) -> None:
    response = await service.client.post("/credentials/verify", json={"verifiableCredential": with_status()})
    problem = assert_problem(response, 422)
    assert problem["outcome"] == "incomplete"
    assert [e["code"] for e in problem["errors"]] == ["status_list_unreachable"]


async def test_missing_verifiable_credential_is_400(service: Service) -> None:
    assert_problem(await service.client.post("/credentials/verify", json={"credential": {}}), 400)
    assert_problem(await service.client.post("/credentials/verify", json={"verifiableCredential": 3}), 400)
    bad_options = {"verifiableCredential": signed(), "options": []}
    assert_problem(await service.client.post("/credentials/verify", json=bad_options), 400)


async def test_only_json_is_accepted(service: Service) -> None:
    response = await service.client.post(
        "/credentials/verify", content=b"eyJ.a.b", headers={"Content-Type": "application/jwt"}
    )
    assert_problem(response, 415)
