"""rexvet against implementations nobody here wrote, in both directions.

- Data Integrity (eddsa-rdfc-2022): credentials signed here verify with Digital Bazaar's @digitalbazaar/vc, and
  credentials it signs verify here.
- VC-JWT: tokens signed here verify with `jose`, and tokens `jose` signs verify here (RS256, ES256, EdDSA).
- Bitstring Status List: lists made and signed here are read by @digitalbazaar/vc-bitstring-status-list, which
  also verifies the list credential's proof and that its issuer is the credential's.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwk

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.didweb import WebKeyResolver
from rexvet_credentials.errors import FetchError
from rexvet_credentials.jwt.jwk import public_jwk
from rexvet_credentials.jwt.keys import JwtSigningKey, PrivateKey
from rexvet_credentials.jwt.sign import sign_vc_jwt
from rexvet_credentials.jwt.verify import verify_vc_jwt
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_ed25519_public, encode_p256_public
from rexvet_credentials.ports import FetchedDocument
from rexvet_credentials.report import Outcome, VerificationReport
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.bitstring import MIN_ENTRIES, Bitstring
from rexvet_credentials.status.list_credential import build_list_credential, status_entry
from rexvet_credentials.verify import verify_credential

pytestmark = pytest.mark.interop

NodeRunner = Callable[..., dict[str, Any]]  # the `run_node` fixture of conftest.py

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
OB3_CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def ob3_credential(issuer_id: str, **extra: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": list(OB3_CONTEXTS),
        "id": "urn:uuid:0b1e5c8a-7d5e-4f0e-9a61-3c2b8f7d9e10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Consorcio REX VET"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Internacionalización, nivel 1",
        "credentialSubject": {
            "id": "did:example:staff-17",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://rexvet.example/achievements/intl-1",
                "type": ["Achievement"],
                "name": "Internacionalización, nivel 1",
                "description": "Took part in one international mobility.\nReviewed by a coach.",
                "criteria": {"narrative": "Evidence of one mobility, reviewed by a coach."},
            },
        },
    }
    credential.update(extra)
    return credential


# --- Data Integrity -------------------------------------------------------------------------------------------


def test_credential_signed_here_verifies_with_digital_bazaar(run_node: NodeRunner) -> None:
    key = Ed25519SigningKey.generate()
    signed = sign_credential(ob3_credential(key.controller), key)
    answer = run_node("di-verify", credential=signed)
    assert answer == {"verified": True, "error": None}
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Internacionalización, nivel 5"
    assert run_node("di-verify", credential=tampered)["verified"] is False


async def test_credential_signed_by_digital_bazaar_verifies_here(run_node: NodeRunner) -> None:
    key = Ed25519SigningKey.generate()
    answer = run_node("di-sign", credential=ob3_credential(key.controller), key=key.to_json())
    signed = answer["credential"]
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    report = await verify_credential(json.dumps(signed).encode(), clock=CLOCK)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    signed["validFrom"] = "2025-01-01T00:00:00Z"
    assert (await verify_credential(json.dumps(signed).encode(), clock=CLOCK)).outcome is Outcome.FAILED


# --- VC-JWT -----------------------------------------------------------------------------------------------------

ISSUER = "did:web:issuer.example"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
P256_KEY = ec.generate_private_key(ec.SECP256R1())
ED_KEY = Ed25519PrivateKey.generate()
KEYS: dict[str, PrivateKey] = {"RS256": RSA_KEY, "ES256": P256_KEY, "EdDSA": ED_KEY}


def private_jwk(key: PrivateKey) -> dict[str, Any]:
    imported: jwk.RSAKey | jwk.ECKey | jwk.OKPKey
    if isinstance(key, rsa.RSAPrivateKey):
        imported = jwk.RSAKey.import_key(key)
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        imported = jwk.ECKey.import_key(key)
    else:
        imported = jwk.OKPKey.import_key(key)
    return dict(imported.as_dict(private=True))


class IssuerDocuments:
    """The issuer's did:web document, served in memory (our DocumentFetcher port)."""

    def __init__(self) -> None:
        methods = [
            {"id": f"{ISSUER}#{alg}", "type": "JsonWebKey", "controller": ISSUER, "publicKeyJwk": public_jwk(key)}
            for alg, key in KEYS.items()
        ]
        self.document = {"id": ISSUER, "verificationMethod": methods, "assertionMethod": [m["id"] for m in methods]}

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        if url != "https://issuer.example/.well-known/did.json":
            raise FetchError(f"{url} is not served here", code="fetch_http_status")
        return FetchedDocument(url, json.dumps(self.document).encode(), "application/did+json")


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_vc_jwt_signed_here_verifies_with_jose(run_node: NodeRunner, alg: str) -> None:
    key = KEYS[alg]
    token = sign_vc_jwt(ob3_credential(ISSUER), JwtSigningKey(key, f"{ISSUER}#{alg}", ISSUER))
    answer = run_node("jwt-verify", token=token, publicJwk=public_jwk(key), alg=alg)
    assert answer["verified"] is True, answer
    assert answer["header"]["kid"] == f"{ISSUER}#{alg}"
    assert answer["payload"]["iss"] == ISSUER
    assert answer["payload"]["credentialSubject"]["achievement"]["name"] == "Internacionalización, nivel 1"
    other: dict[str, PrivateKey] = {
        "RS256": rsa.generate_private_key(65537, 2048),
        "ES256": ec.generate_private_key(ec.SECP256R1()),
    }
    wrong = other.get(alg, Ed25519PrivateKey.generate())
    assert run_node("jwt-verify", token=token, publicJwk=public_jwk(wrong), alg=alg)["verified"] is False


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
async def test_vc_jwt_signed_by_jose_verifies_here(run_node: NodeRunner, alg: str) -> None:
    credential = ob3_credential(ISSUER)
    payload = {
        **credential,
        "iss": ISSUER,
        "jti": credential["id"],
        "sub": "did:example:staff-17",
        "nbf": int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()),
    }
    token = run_node("jwt-sign", payload=payload, privateJwk=private_jwk(KEYS[alg]), alg=alg, kid=f"{ISSUER}#{alg}")[
        "token"
    ]
    resolver = WebKeyResolver(IssuerDocuments(), CLOCK)
    report = await verify_vc_jwt(token, clock=CLOCK, key_resolver=resolver)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    # jose signing with a key the issuer does not list: refused here.
    stranger: dict[str, PrivateKey] = {
        "RS256": rsa.generate_private_key(65537, 2048),
        "ES256": ec.generate_private_key(ec.SECP256R1()),
    }
    wrong_key = stranger.get(alg, Ed25519PrivateKey.generate())
    forged = run_node("jwt-sign", payload=payload, privateJwk=private_jwk(wrong_key), alg=alg, kid=f"{ISSUER}#{alg}")[
        "token"
    ]
    assert (await verify_vc_jwt(forged, clock=CLOCK, key_resolver=resolver)).outcome is Outcome.FAILED


async def test_did_key_p256_jwt_from_jose(run_node: NodeRunner) -> None:
    did = "did:key:" + encode_p256_public(P256_KEY.public_key())
    credential = ob3_credential(did)
    payload = {**credential, "iss": did, "jti": credential["id"]}
    kid = f"{did}#{did.removeprefix('did:key:')}"
    token = run_node("jwt-sign", payload=payload, privateJwk=private_jwk(P256_KEY), alg="ES256", kid=kid)["token"]
    report = await verify_vc_jwt(token, clock=CLOCK)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert encode_ed25519_public(ED_KEY.public_key()).startswith("z6Mk")


# --- Bitstring Status List ---------------------------------------------------------------------------------------

LIST_URL = "https://issuer.example/status/3"


def test_status_lists_made_here_are_read_by_digital_bazaar(run_node: NodeRunner) -> None:
    key = Ed25519SigningKey.generate()
    revoked, active = 94567, 94568
    bits = Bitstring()
    bits.set(revoked)
    bits.set(0)
    bits.set(MIN_ENTRIES - 1)
    unsigned_list = build_list_credential(
        list_url=LIST_URL,
        issuer=key.controller,
        purpose="revocation",
        bitstring=bits,
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    )
    status_list = sign_credential(unsigned_list, key)

    decoded = run_node(
        "status-decode",
        encodedList=status_list["credentialSubject"]["encodedList"],
        indexes=[0, 1, 7, 8, revoked, active, MIN_ENTRIES - 1],
    )
    assert decoded == {"length": MIN_ENTRIES, "set": [0, revoked, MIN_ENTRIES - 1]}

    for index, expected in ((revoked, True), (active, False)):
        credential = sign_credential(
            ob3_credential(key.controller, credentialStatus=status_entry(LIST_URL, index, "revocation")), key
        )
        answer = run_node("status-check", documents={LIST_URL: status_list}, credential=credential)
        assert answer["verified"] is True, answer
        assert answer["statuses"] == [{"purpose": "revocation", "status": expected}]

    # A list changed after signing: Digital Bazaar refuses it too.
    forged = copy.deepcopy(status_list)
    forged_bits = Bitstring()
    forged["credentialSubject"]["encodedList"] = forged_bits.encode()
    credential = sign_credential(
        ob3_credential(key.controller, credentialStatus=status_entry(LIST_URL, revoked, "revocation")), key
    )
    answer = run_node("status-check", documents={LIST_URL: forged}, credential=credential)
    assert answer["verified"] is False


def test_status_lists_made_by_digital_bazaar_are_read_here(run_node: NodeRunner) -> None:
    indexes = [0, 1, 4242, MIN_ENTRIES - 1]
    encoded = run_node("status-encode", length=MIN_ENTRIES, indexes=indexes)["encodedList"]
    bits = Bitstring.decode(encoded)
    assert bits.length == MIN_ENTRIES
    assert bits.set_bits() == indexes


@pytest.mark.parametrize("text", ["tab\there, vertical\u000btab, backspace\b, form feed\f", 'quote " and \\ and é'])
async def test_control_characters_survive_both_ways(run_node: NodeRunner, text: str) -> None:
    # RDFC-1.0 escapes control characters in literals where older URDNA2015 serialisers wrote raw bytes.
    key = Ed25519SigningKey.generate()
    credential = ob3_credential(key.controller)
    credential["credentialSubject"]["achievement"]["description"] = text
    ours = sign_credential(credential, key)
    assert run_node("di-verify", credential=ours) == {"verified": True, "error": None}
    theirs = run_node("di-sign", credential=credential, key=key.to_json())["credential"]
    report = await verify_credential(json.dumps(theirs).encode(), clock=CLOCK)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


async def test_rfc9864_ed25519_algorithm_name_from_jose_verifies_here(run_node: NodeRunner) -> None:
    credential = ob3_credential(ISSUER)
    payload = {**credential, "iss": ISSUER, "jti": credential["id"], "sub": "did:example:staff-17"}
    token = run_node("jwt-sign", payload=payload, privateJwk=private_jwk(ED_KEY), alg="Ed25519", kid=f"{ISSUER}#EdDSA")[
        "token"
    ]
    report = await verify_vc_jwt(token, clock=CLOCK, key_resolver=WebKeyResolver(IssuerDocuments(), CLOCK))
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


# --- ecdsa suites: Digital Bazaar signs, rexvet verifies (rexvet itself signs eddsa-rdfc-2022 only) -----------------

NOW = FixedClock(datetime.now(UTC).replace(microsecond=0))


async def verify_ecdsa(credential: dict[str, Any]) -> VerificationReport:
    return await verify_credential(json.dumps(credential).encode(), clock=NOW)


@pytest.mark.parametrize("curve", ["P-256", "P-384"])
async def test_ecdsa_rdfc_2019_by_digital_bazaar_verifies_here(run_node: NodeRunner, curve: str) -> None:
    answer = run_node("ecdsa-sign", credential=ob3_credential("did:example:replaced"), curve=curve)
    assert answer["verifiedByDigitalBazaar"] is True
    signed = answer["credential"]
    report = await verify_ecdsa(signed)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert "ecdsa-rdfc-2019" in report.check("proof").message
    signed["credentialSubject"]["achievement"]["name"] = "Another badge"
    assert (await verify_ecdsa(signed)).check("proof").code == "signature_invalid"


async def test_ecdsa_sd_2023_derived_by_digital_bazaar_verifies_here(run_node: NodeRunner) -> None:
    credential = ob3_credential("did:example:replaced", description="withheld from the derived credential")
    answer = run_node(
        "ecdsa-sd-derive",
        credential=credential,
        mandatoryPointers=["/issuer", "/validFrom", "/credentialSubject/achievement/criteria"],
        selectivePointers=[
            "/name",
            "/credentialSubject/achievement/name",
            "/credentialSubject/achievement/description",
        ],
    )
    assert answer["verifiedByDigitalBazaar"] is True, answer["error"]
    derived = answer["derived"]
    assert "description" not in derived
    report = await verify_ecdsa(derived)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert "ecdsa-sd-2023" in report.check("proof").message
    base = await verify_ecdsa(answer["base"])
    assert base.outcome is Outcome.VERIFIED, base.to_dict()
    derived["name"] = "Another badge"
    assert (await verify_ecdsa(derived)).check("proof").code == "signature_invalid"
