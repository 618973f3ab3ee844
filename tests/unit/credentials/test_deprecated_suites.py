"""The deprecated proofs a verifier still meets: `eddsa-2022` (the draft name of eddsa-rdfc-2022) and
`Ed25519Signature2020`. Both sign sha256(canonical proof options) || sha256(canonical document); the proofs
here are made with that construction directly, independent of `sign_credential`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.data_integrity import hash_data
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_base58btc
from rexvet_credentials.report import Outcome
from rexvet_credentials.verify import verify_credential

pytestmark = pytest.mark.unit

ED25519_2020 = "https://w3id.org/security/suites/ed25519-2020/v1"


def _prove(document: dict[str, Any], proof: dict[str, Any], key: Ed25519SigningKey) -> dict[str, Any]:
    signature = key.private_key.sign(hash_data(document, proof))
    return {**document, "proof": {**proof, "proofValue": encode_base58btc(signature)}}


async def test_eddsa_2022(unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock) -> None:
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-2022",
        "created": "2023-01-01T00:00:00Z",
        "verificationMethod": issuer_key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    report = await verify_credential(_prove(unsigned, proof, issuer_key), clock=clock)
    assert report.outcome is Outcome.VERIFIED
    assert "eddsa-2022" in report.check("proof").message


async def test_ed25519_signature_2020_on_an_open_badge(
    unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock
) -> None:
    document = {**unsigned, "@context": [*unsigned["@context"], ED25519_2020]}
    proof = {
        "type": "Ed25519Signature2020",
        "created": "2023-01-01T00:00:00Z",
        "verificationMethod": issuer_key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    signed = _prove(document, proof, issuer_key)
    report = await verify_credential(signed, clock=clock)
    assert report.outcome is Outcome.VERIFIED
    tampered = {**signed, "name": "changed"}
    assert (await verify_credential(tampered, clock=clock)).check("proof").code == "signature_invalid"


async def test_ed25519_signature_2020_on_a_vc_1_1_credential(issuer_key: Ed25519SigningKey) -> None:
    document = {
        "@context": ["https://www.w3.org/2018/credentials/v1", ED25519_2020],
        "id": "urn:uuid:0a4e6c1e-1111-4a55-9f00-000000000001",
        "type": ["VerifiableCredential"],
        "issuer": issuer_key.controller,
        "issuanceDate": "2022-01-01T00:00:00Z",
        "expirationDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject"},
    }
    proof = {
        "type": "Ed25519Signature2020",
        "created": "2022-01-01T00:00:00Z",
        "verificationMethod": issuer_key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    signed = _prove(document, proof, issuer_key)
    during = await verify_credential(signed, clock=FixedClock(datetime(2023, 1, 1, tzinfo=UTC)), open_badges=False)
    assert during.outcome is Outcome.VERIFIED
    after = await verify_credential(signed, clock=FixedClock(datetime(2025, 1, 1, tzinfo=UTC)), open_badges=False)
    assert after.check("validity_period").code == "expired"


async def test_unknown_cryptosuite_is_refused(signed: dict[str, Any], clock: FixedClock) -> None:
    changed = {**signed, "proof": {**signed["proof"], "cryptosuite": "ecdsa-jcs-2019"}}
    report = await verify_credential(changed, clock=clock)
    assert report.check("proof").code == "unsupported_cryptosuite"
