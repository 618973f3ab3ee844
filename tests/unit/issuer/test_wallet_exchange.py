"""The Learner Credential Wallet's VC-API exchange against the issuer app: the DIDAuth presentation request, the
badge for a presentation that proves control of a did:key, and the refusals."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rexvet_credentials.data_integrity import hash_data
from rexvet_credentials.multikey import encode_base58btc, encode_ed25519_public
from rexvet_credentials.report import Outcome

from .harness import BASE_URL, Issuer
from .wallet_holder import issued_badge, make_offer


def didauth(key: Ed25519PrivateKey, challenge: str, domain: str, *, holder: str | None = None) -> dict[str, Any]:
    multibase = encode_ed25519_public(key.public_key())
    did = f"did:key:{multibase}"
    presentation: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder or did,
    }
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": f"{did}#{multibase}",
        "proofPurpose": "authentication",
        "challenge": challenge,
        "domain": domain,
    }
    proof["proofValue"] = encode_base58btc(key.sign(hash_data(presentation, proof)))
    return {**presentation, "proof": proof}


async def start(issuer: Issuer) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    record = await issued_badge(issuer)
    made = await make_offer(issuer, record)
    [request] = parse_qs(urlsplit(made["lcw_link"]).query)["request"]
    assert json.loads(request)["protocols"]["vcapi"] == made["exchange_url"]
    response = await issuer.client.post(made["exchange_url"], json={})
    assert response.status_code == 200, response.text
    return record, made, response.json()["verifiablePresentationRequest"]


async def test_a_didauth_presentation_gets_the_badge_bound_to_its_did(issuer: Issuer) -> None:
    record, made, vpr = await start(issuer)
    assert vpr["query"][0]["type"] == "DIDAuthentication"
    assert vpr["domain"] == BASE_URL
    assert vpr["interact"]["service"][0]["serviceEndpoint"] == made["exchange_url"]
    key = Ed25519PrivateKey.generate()
    presentation = didauth(key, vpr["challenge"], vpr["domain"])
    response = await issuer.client.post(made["exchange_url"], json={"verifiablePresentation": presentation})
    assert response.status_code == 200, response.text
    [copy] = response.json()["verifiablePresentation"]["verifiableCredential"]
    assert copy["credentialSubject"]["id"] == presentation["holder"]
    assert copy["credentialStatus"] == record["credential"]["credentialStatus"]
    assert (await issuer.verify(copy)).outcome is Outcome.VERIFIED
    again = await issuer.client.post(made["exchange_url"], json={"verifiablePresentation": presentation})
    assert again.status_code == 404  # the offer is spent, for OpenID4VCI too
    assert (await issuer.client.get(made["credential_offer_uri"])).status_code == 404


async def test_presentations_that_prove_nothing_are_refused(issuer: Issuer) -> None:
    _, made, vpr = await start(issuer)
    key = Ed25519PrivateKey.generate()
    other = f"did:key:{encode_ed25519_public(Ed25519PrivateKey.generate().public_key())}"
    wrong_signature = didauth(key, vpr["challenge"], vpr["domain"])
    wrong_signature["proof"]["proofValue"] = didauth(key, "x", vpr["domain"])["proof"]["proofValue"]
    refused = [
        didauth(key, "another-challenge", vpr["domain"]),
        didauth(key, vpr["challenge"], "https://elsewhere.example"),
        didauth(key, vpr["challenge"], vpr["domain"], holder=other),
        wrong_signature,
        {"type": ["VerifiablePresentation"], "holder": other},
    ]
    for presentation in refused:
        response = await issuer.client.post(made["exchange_url"], json={"verifiablePresentation": presentation})
        assert response.status_code == 400, response.text
    good = didauth(key, vpr["challenge"], vpr["domain"])
    assert (await issuer.client.post(made["exchange_url"], json={"verifiablePresentation": good})).status_code == 200


async def test_a_revoked_badge_is_not_handed_over_and_a_tx_code_offer_has_no_exchange(issuer: Issuer) -> None:
    record, made, vpr = await start(issuer)
    admin = issuer.auth("a-1", "institution-admin")
    assert (await issuer.client.post(f"/v1/credentials/{record['credential_uuid']}/revoke", headers=admin)).is_success
    presentation = didauth(Ed25519PrivateKey.generate(), vpr["challenge"], vpr["domain"])
    response = await issuer.client.post(made["exchange_url"], json={"verifiablePresentation": presentation})
    assert (response.status_code, response.json()["error"]) == (409, "credential_request_denied")

    second = await issued_badge(issuer, "s-2")
    with_code = await make_offer(issuer, second, tx_code=True)
    assert "exchange_url" not in with_code
    exchange = f"{BASE_URL}/v1/issuers/omnia/exchanges/{with_code['id']}"
    assert (await issuer.client.post(exchange, json={})).status_code == 404
