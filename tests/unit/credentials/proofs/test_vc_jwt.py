"""VC-JWT: sign and verify with RS256, ES256 and EdDSA; every way a token must be refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import OctKey

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.didweb import WebKeyResolver
from rexvet_credentials.jwt.jwk import public_jwk
from rexvet_credentials.jwt.keys import JwtSigningKey, joserfc_key, load_jwt_signing_key, quiet_eddsa_deprecation
from rexvet_credentials.jwt.sign import sign_vc_jwt
from rexvet_credentials.jwt.verify import verify_vc_jwt
from rexvet_credentials.keys import generate_key_document
from rexvet_credentials.multikey import encode_ed25519_public, encode_p256_public
from rexvet_credentials.report import CheckOutcome, Outcome, VerificationReport

from ..fakes import FakeFetcher, SteppingClock
from ..ob3_credentials import ob3_credential

pytestmark = pytest.mark.unit

NOW = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
ISSUER = "did:web:issuer.example"
ISSUER_DOC_URL = "https://issuer.example/.well-known/did.json"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
P256_KEY = ec.generate_private_key(ec.SECP256R1())
ED_KEY = Ed25519PrivateKey.generate()


def issuer_document() -> dict[str, Any]:
    methods: list[dict[str, Any]] = [
        {"id": f"{ISSUER}#rsa", "type": "JsonWebKey", "controller": ISSUER, "publicKeyJwk": public_jwk(RSA_KEY)},
        {"id": f"{ISSUER}#p256", "type": "JsonWebKey", "controller": ISSUER, "publicKeyJwk": public_jwk(P256_KEY)},
        {
            "id": f"{ISSUER}#ed",
            "type": "Multikey",
            "controller": ISSUER,
            "publicKeyMultibase": encode_ed25519_public(ED_KEY.public_key()),
        },
    ]
    return {"id": ISSUER, "verificationMethod": methods, "assertionMethod": [m["id"] for m in methods]}


def resolver() -> WebKeyResolver:
    return WebKeyResolver(FakeFetcher(documents={ISSUER_DOC_URL: issuer_document()}), SteppingClock())


def web_key(private: Any, name: str) -> JwtSigningKey:
    return JwtSigningKey(private, f"{ISSUER}#{name}", ISSUER)


async def verify(token: str, **kwargs: Any) -> VerificationReport:
    return await verify_vc_jwt(token, clock=kwargs.pop("clock", NOW), key_resolver=resolver(), **kwargs)


def sign_raw(header: dict[str, Any], body: bytes, private: Any) -> str:
    """A JWS exactly as given (for tokens rexvet's signer would refuse to make)."""
    with quiet_eddsa_deprecation():
        return jws.serialize_compact(header, body, joserfc_key(private), algorithms=[header["alg"]])


def check_outcome(report: VerificationReport, check_id: str) -> tuple[CheckOutcome, str]:
    check = report.check(check_id)
    return check.outcome, check.code


def decode_part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def encode_part(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("private", "name", "alg"), [(RSA_KEY, "rsa", "RS256"), (P256_KEY, "p256", "ES256"), (ED_KEY, "ed", "EdDSA")]
)
async def test_sign_and_verify_each_algorithm(private: Any, name: str, alg: str) -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), web_key(private, name))
    header, payload = decode_part(token, 0), decode_part(token, 1)
    assert header == {"alg": alg, "typ": "JWT", "kid": f"{ISSUER}#{name}"}
    assert payload["iss"] == ISSUER
    assert payload["jti"] == "urn:uuid:3b7a1c2e-0d36-4c1e-9d4c-1f0c0a2b3c4d"
    assert payload["sub"] == "did:example:staff-17"
    assert payload["nbf"] == int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    report = await verify(token)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


async def test_key_found_from_the_issuer_without_kid() -> None:
    body = json.dumps({**ob3_credential(ISSUER), "iss": ISSUER}).encode()
    report = await verify(sign_raw({"alg": "ES256"}, body, P256_KEY))
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert "#p256" in report.check("proof").message


async def test_jwk_header_must_be_one_of_the_issuers_keys() -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), JwtSigningKey(ED_KEY, None, ISSUER))
    assert "jwk" in decode_part(token, 0)
    assert (await verify(token)).outcome is Outcome.VERIFIED
    stranger = Ed25519PrivateKey.generate()
    forged = sign_vc_jwt(ob3_credential(ISSUER), JwtSigningKey(stranger, None, ISSUER))
    report = await verify(forged)
    assert report.outcome is Outcome.FAILED
    assert check_outcome(report, "proof") == (CheckOutcome.PASSED, "signature_valid")
    assert check_outcome(report, "key_binding") == (CheckOutcome.FAILED, "controller_mismatch")


async def test_did_key_issuer_with_p256() -> None:
    did = "did:key:" + encode_p256_public(P256_KEY.public_key())
    key = JwtSigningKey(P256_KEY, f"{did}#{did.removeprefix('did:key:')}", did)
    report = await verify_vc_jwt(sign_vc_jwt(ob3_credential(did), key), clock=NOW)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


async def test_key_files_from_key_generate() -> None:
    for key_type in ("ed25519", "p256", "rsa"):
        document = generate_key_document(key_type)
        key = load_jwt_signing_key(document)
        issuer = key.controller or "did:example:unknown"
        token = sign_vc_jwt(ob3_credential(issuer), key)
        assert decode_part(token, 0)["alg"] == {"ed25519": "EdDSA", "p256": "ES256", "rsa": "RS256"}[key_type]


async def test_tampered_payload_fails() -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), web_key(RSA_KEY, "rsa"))
    payload = decode_part(token, 1)
    payload["name"] = "Internationalisation, level 5"
    head, _, signature = token.split(".")
    report = await verify(f"{head}.{encode_part(payload)}.{signature}")
    assert report.outcome is Outcome.FAILED
    assert check_outcome(report, "proof") == (CheckOutcome.FAILED, "signature_invalid")


async def test_wrong_key_fails() -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    report = await verify(sign_vc_jwt(ob3_credential(ISSUER), web_key(other, "p256")))
    assert check_outcome(report, "proof") == (CheckOutcome.FAILED, "signature_invalid")
    assert report.outcome is Outcome.FAILED


async def test_alg_none_is_refused() -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), web_key(ED_KEY, "ed"))
    unsigned = encode_part({"alg": "none", "typ": "JWT"}) + "." + token.split(".")[1] + "."
    report = await verify(unsigned)
    assert check_outcome(report, "proof") == (CheckOutcome.FAILED, "alg_none")
    assert report.outcome is Outcome.FAILED


@pytest.mark.parametrize("alg", ["HS256", "RS512", "ES256K", "PS256", "foo"])
async def test_unknown_algorithms_are_refused(alg: str) -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), web_key(RSA_KEY, "rsa"))
    _, payload, signature = token.split(".")
    report = await verify(encode_part({"alg": alg, "kid": f"{ISSUER}#rsa"}) + f".{payload}.{signature}")
    assert check_outcome(report, "proof") == (CheckOutcome.FAILED, "alg_not_allowed")


async def test_algorithm_confusion_hmac_with_the_public_key_is_refused() -> None:
    # The classic attack: sign with HS256 using the issuer's *public* key bytes as the HMAC secret.
    secret = OctKey.import_key(json.dumps(public_jwk(RSA_KEY)).encode())
    body = json.dumps({**ob3_credential(ISSUER), "iss": ISSUER}).encode()
    token = jws.serialize_compact({"alg": "HS256", "kid": f"{ISSUER}#rsa"}, body, secret, algorithms=["HS256"])
    assert check_outcome(await verify(token), "proof") == (CheckOutcome.FAILED, "alg_not_allowed")


async def test_algorithm_confusion_es256_header_with_rsa_kid_is_refused() -> None:
    # ES256 claimed, but the kid names the issuer's RSA key: the key type does not fit the algorithm.
    body = json.dumps({**ob3_credential(ISSUER), "iss": ISSUER}).encode()
    token = sign_raw({"alg": "ES256", "kid": f"{ISSUER}#rsa"}, body, P256_KEY)
    assert check_outcome(await verify(token), "proof") == (CheckOutcome.FAILED, "algorithm_key_mismatch")


async def test_claims_disagreeing_with_the_credential_fail() -> None:
    body = json.dumps({**ob3_credential(ISSUER), "iss": ISSUER, "sub": "did:example:someone-else"}).encode()
    token = sign_raw({"alg": "EdDSA", "kid": f"{ISSUER}#ed"}, body, ED_KEY)
    report = await verify(token)
    assert check_outcome(report, "proof")[0] is CheckOutcome.PASSED
    assert check_outcome(report, "claims") == (CheckOutcome.FAILED, "claims_disagree")
    assert report.outcome is Outcome.FAILED


async def test_missing_iss_fails() -> None:
    body = json.dumps(ob3_credential(ISSUER)).encode()
    token = sign_raw({"alg": "EdDSA", "kid": f"{ISSUER}#ed"}, body, ED_KEY)
    assert check_outcome(await verify(token), "claims") == (CheckOutcome.FAILED, "claims_disagree")


async def test_expired() -> None:
    credential = ob3_credential(ISSUER, validUntil="2026-03-01T00:00:00Z")
    token = sign_vc_jwt(credential, web_key(ED_KEY, "ed"))
    assert decode_part(token, 1)["exp"] == int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    report = await verify(token)
    assert check_outcome(report, "validity_period") == (CheckOutcome.FAILED, "expired")
    assert report.outcome is Outcome.FAILED


async def test_not_yet_valid() -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER, validFrom="2027-01-01T00:00:00Z"), web_key(ED_KEY, "ed"))
    report = await verify(token)
    assert check_outcome(report, "validity_period") == (CheckOutcome.FAILED, "not_yet_valid")


async def test_older_vc_claim_form_is_verified() -> None:
    # VC 1.1 style: the credential under `vc`, its id/issuer/dates carried by the registered claims.
    credential = ob3_credential(ISSUER)
    vc = {k: v for k, v in credential.items() if k not in ("id", "validFrom")}
    payload = {
        "vc": vc,
        "iss": ISSUER,
        "jti": credential["id"],
        "sub": "did:example:staff-17",
        "nbf": int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()),
    }
    token = sign_raw({"alg": "ES256", "kid": f"{ISSUER}#p256"}, json.dumps(payload).encode(), P256_KEY)
    report = await verify(token)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert "older" in report.check("parse").message


async def test_unreachable_issuer_document_is_incomplete() -> None:
    token = sign_vc_jwt(ob3_credential(ISSUER), web_key(ED_KEY, "ed"))
    unreachable = WebKeyResolver(FakeFetcher(failures={ISSUER_DOC_URL: "fetch_timeout"}), SteppingClock())
    report = await verify_vc_jwt(token, clock=NOW, key_resolver=unreachable)
    assert report.outcome is Outcome.INCOMPLETE
    assert report.check("proof").outcome is CheckOutcome.NOT_CHECKED


@pytest.mark.parametrize("garbage", ["", "abc", "eyJ.eyJ.x", "a.b.c.d"])
async def test_garbage_is_a_parse_failure(garbage: str) -> None:
    report = await verify(garbage)
    assert check_outcome(report, "parse") == (CheckOutcome.FAILED, "not_a_jwt")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=60), alg_key=st.sampled_from([("ed", ED_KEY), ("p256", P256_KEY)]))
async def test_any_credential_text_round_trips_through_a_vc_jwt(name: str, alg_key: tuple[str, Any]) -> None:
    key_name, private = alg_key
    token = sign_vc_jwt(ob3_credential(ISSUER, name=name), web_key(private, key_name))
    assert decode_part(token, 1)["name"] == name
    report = await verify(token)
    assert report.check("proof").code == "signature_valid"
    assert report.check("claims").outcome is CheckOutcome.PASSED
