"""The wallet hand-off's rules without HTTP: the key proof's checks, the well-known URLs, the rate limiter."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws

from rexvet_credentials.jwt.jwk import public_jwk
from rexvet_credentials.jwt.keys import PrivateKey, joserfc_key, jws_registry, quiet_eddsa_deprecation
from rexvet_issuer.wallet.api.oid4vci import _identifier_path
from rexvet_issuer.wallet.application.rate_limit import RateLimiter
from rexvet_issuer.wallet.domain.errors import WalletRefusal
from rexvet_issuer.wallet.domain.metadata import well_known_url
from rexvet_issuer.wallet.domain.proof import check_proof_jwt, did_jwk_for

AUD = "https://issuer.test/v1/issuers/omnia"
MAX_AGE = timedelta(minutes=5)


def signed(key: PrivateKey, header: dict[str, Any], claims: dict[str, Any]) -> str:
    alg = header["alg"]
    with quiet_eddsa_deprecation():
        return jws.serialize_compact(header, json.dumps(claims), joserfc_key(key), registry=jws_registry(alg))


def claims(**extra: Any) -> dict[str, Any]:
    return {"aud": AUD, "iat": int(time.time()), "nonce": "n-1", **extra}


def refusal(proof: str) -> str:
    with pytest.raises(WalletRefusal) as refused:
        check_proof_jwt(proof, audience=AUD, now=datetime.now(UTC), max_age=MAX_AGE)
    assert refused.value.error == "invalid_proof"
    return refused.value.description


def test_a_jwk_header_binds_the_holder_as_its_did_jwk() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = public_jwk(key)
    proof = signed(key, {"alg": "ES256", "typ": "openid4vci-proof+jwt", "jwk": jwk}, claims())
    checked = check_proof_jwt(proof, audience=AUD, now=datetime.now(UTC), max_age=MAX_AGE)
    assert checked.holder.did == did_jwk_for(jwk)
    encoded = checked.holder.did.removeprefix("did:jwk:")
    assert json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))) == jwk
    assert checked.nonce == "n-1"
    # the same key named by its did:jwk URL binds the same DID
    by_kid = signed(key, {"alg": "ES256", "typ": "openid4vci-proof+jwt", "kid": f"{checked.holder.did}#0"}, claims())
    assert (
        check_proof_jwt(by_kid, audience=AUD, now=datetime.now(UTC), max_age=MAX_AGE).holder.did == checked.holder.did
    )


def test_proofs_are_refused_for_what_the_specification_requires() -> None:
    key = Ed25519PrivateKey.generate()
    jwk = public_jwk(key)
    head = {"alg": "EdDSA", "typ": "openid4vci-proof+jwt", "jwk": jwk}
    assert "private key" in refusal(signed(key, {**head, "jwk": {**jwk, "d": "AAAA"}}, claims()))
    assert "x5c" in refusal(signed(key, {"alg": "EdDSA", "typ": "openid4vci-proof+jwt", "x5c": ["MII"]}, claims()))
    assert "exactly once" in refusal(signed(key, {**head, "kid": "did:key:z6Mk"}, claims()))
    assert "future" in refusal(signed(key, head, claims(iat=int(time.time()) + 3600)))
    assert "too old" in refusal(signed(key, head, claims(iat=int(time.time()) - 3600)))
    assert "iat" in refusal(signed(key, head, {"aud": AUD, "nonce": "n-1"}))
    assert "aud" in refusal(signed(key, head, claims(aud="https://elsewhere.example")))
    other = ec.generate_private_key(ec.SECP256R1())
    assert "cannot sign" in refusal(signed(other, {**head, "alg": "ES256"}, claims()))
    assert "typ" in refusal(signed(key, {**head, "typ": "JWT"}, claims()))
    assert "compact" in refusal("not.a-jwt")


def test_a_kid_must_be_a_did_key_or_did_jwk() -> None:
    key = Ed25519PrivateKey.generate()
    proof = signed(key, {"alg": "EdDSA", "typ": "openid4vci-proof+jwt", "kid": "https://example.org/keys/1"}, claims())
    assert "did:key or did:jwk" in refusal(proof)


def test_the_well_known_name_goes_before_the_path() -> None:
    assert well_known_url(AUD, "/.well-known/openid-credential-issuer") == (
        "https://issuer.test/.well-known/openid-credential-issuer/v1/issuers/omnia"
    )
    assert _identifier_path("v1/issuers/omnia", "https://issuer.test") == "omnia"
    assert _identifier_path("badges/v1/issuers/omnia", "https://host.example/badges") == "omnia"
    assert _identifier_path("v1/issuers/omnia", "https://host.example/badges") is None
    assert _identifier_path("v1/other/omnia", "https://issuer.test") is None


def test_the_limiter_allows_n_per_window_per_client_and_forgets_the_oldest_clients() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, 60.0, max_clients=3, clock=lambda: now[0])
    assert [limiter.retry_after("a") for _ in range(3)] == [None, None, 60]
    assert limiter.retry_after("b") is None  # another client has its own allowance
    now[0] += 30
    assert limiter.retry_after("a") == 30
    now[0] += 31
    assert limiter.retry_after("a") is None  # the window has moved on
    for client in ("c", "d", "e"):
        limiter.retry_after(client)
    assert len(limiter._seen) == 3 and "a" not in limiter._seen
