"""The token verifier on its own: configurable claim names, list or string claims, algorithm allow-list."""

from __future__ import annotations

import base64
import json
import time
import warnings
from typing import Any

import pytest
from common.service_harness import AUDIENCE, ISSUER
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, Key, OctKey, OKPKey, RSAKey

from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.auth.principal import ClaimNames
from rexvet_common.auth.verifier import TokenVerifier
from rexvet_common.problems import Unauthorized
from rexvet_issuer.token_service.keys import SigningKeyRing

pytestmark = pytest.mark.unit


def signed(ring: SigningKeyRing, claims: dict[str, Any], *, algorithm: str = "ES256") -> str:
    key = ring.ensure(allow_create=False)
    base = {"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 300}
    return jwt.encode({"alg": algorithm, "kid": key.kid}, base | claims, ECKey.import_key(key.private_key))


def segment(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


async def test_an_institutions_provider_with_its_own_claim_names(key_ring: SigningKeyRing) -> None:
    verifier = TokenVerifier(
        StaticJwks(key_ring.jwks),
        issuer=ISSUER,
        audience=AUDIENCE,
        claims=ClaimNames(sub="employee_id", tenant="org", roles="groups", scope="scp"),
    )
    token = signed(
        key_ring,
        {"sub": "opaque-123", "employee_id": "T-42", "org": "omnia", "groups": ["coach", "staff"], "scp": ["a:b"]},
    )
    principal = await verifier.verify(token)
    assert (principal.sub, principal.tenant) == ("T-42", "omnia")
    assert principal.roles == frozenset({"coach", "staff"})
    assert principal.scopes == frozenset({"a:b"})


async def test_a_token_without_a_tenant_is_refused(key_ring: SigningKeyRing) -> None:
    verifier = TokenVerifier(StaticJwks(key_ring.jwks), issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(Unauthorized, match="tenant"):
        await verifier.verify(signed(key_ring, {"sub": "alice", "scope": "x:y"}))


async def test_a_token_for_another_audience_is_refused(key_ring: SigningKeyRing) -> None:
    verifier = TokenVerifier(StaticJwks(key_ring.jwks), issuer=ISSUER, audience="another-platform")
    with pytest.raises(Unauthorized, match="audience"):
        await verifier.verify(signed(key_ring, {"sub": "alice", "tenant": "omnia"}))


async def test_unsigned_and_symmetric_tokens_are_refused(key_ring: SigningKeyRing) -> None:
    verifier = TokenVerifier(StaticJwks(key_ring.jwks), issuer=ISSUER, audience=AUDIENCE)
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "tenant": "omnia", "exp": int(time.time()) + 60}
    unsigned = f"{segment({'alg': 'none'})}.{segment(claims)}."
    # HS256 keyed with the public key's text: the classic algorithm-confusion forgery.
    public_jwk = str(key_ring.jwks()["keys"][0])
    confused = jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(public_jwk.encode().ljust(32, b"0")))
    for token in (unsigned, confused):
        with pytest.raises(Unauthorized, match="not accepted"):
            await verifier.verify(token)


def institution_keys() -> tuple[dict[str, Key], StaticJwks]:
    """An institution's own identity provider: an RSA key and an Ed25519 key beside the issuer's P-256 one."""
    private: dict[str, Key] = {
        "rsa-1": RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "ed-1": OKPKey.import_key(Ed25519PrivateKey.generate()),
        "ec-1": ECKey.import_key(ec.generate_private_key(ec.SECP256R1())),
    }
    published = [key.as_dict(private=False) | {"kid": kid, "use": "sig"} for kid, key in private.items()]
    return private, StaticJwks(lambda: {"keys": published})


def provider_token(key: Key, kid: str, alg: str, **claims: Any) -> str:
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "tenant": "omnia", "exp": int(time.time()) + 300}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)  # EdDSA's RFC 9864 deprecation notice
        return jwt.encode({"alg": alg, "kid": kid}, base | claims, key, algorithms=[alg])


@pytest.mark.parametrize(("kid", "alg"), [("rsa-1", "RS256"), ("ed-1", "EdDSA"), ("ec-1", "ES256")])
async def test_es256_rs256_and_eddsa_tokens_are_accepted(kid: str, alg: str) -> None:
    private, published = institution_keys()
    verifier = TokenVerifier(published, issuer=ISSUER, audience=AUDIENCE)
    principal = await verifier.verify(provider_token(private[kid], kid, alg))
    assert (principal.sub, principal.tenant) == ("alice", "omnia")


async def test_an_algorithm_outside_the_allow_list_is_refused_even_with_a_good_key() -> None:
    private, published = institution_keys()
    verifier = TokenVerifier(published, issuer=ISSUER, audience=AUDIENCE, algorithms=("ES256",))
    with pytest.raises(Unauthorized, match=r"'RS256' are not accepted \(allowed: \['ES256'\]\)"):
        await verifier.verify(provider_token(private["rsa-1"], "rsa-1", "RS256"))


async def test_a_token_whose_alg_names_another_key_type_is_refused() -> None:
    # The header says RS256 but names the EC key: the key's type must be the one the algorithm needs.
    private, published = institution_keys()
    verifier = TokenVerifier(published, issuer=ISSUER, audience=AUDIENCE)
    forged = provider_token(private["rsa-1"], "ec-1", "RS256")
    with pytest.raises(Unauthorized, match="the bearer token is invalid"):
        await verifier.verify(forged)


async def test_the_leeway_forgives_a_little_clock_skew_and_no_more() -> None:
    private, published = institution_keys()
    verifier = TokenVerifier(published, issuer=ISSUER, audience=AUDIENCE, leeway_seconds=30)
    now = int(time.time())
    just_expired = provider_token(private["ec-1"], "ec-1", "ES256", exp=now - 10)
    long_expired = provider_token(private["ec-1"], "ec-1", "ES256", exp=now - 120)
    nearly_valid = provider_token(private["ec-1"], "ec-1", "ES256", nbf=now + 10, iat=now + 10)
    not_yet_valid = provider_token(private["ec-1"], "ec-1", "ES256", nbf=now + 120)
    assert (await verifier.verify(just_expired)).sub == "alice"
    assert (await verifier.verify(nearly_valid)).sub == "alice"
    with pytest.raises(Unauthorized, match="has expired; get a new one"):
        await verifier.verify(long_expired)
    with pytest.raises(Unauthorized, match=r"the bearer token is invalid: .*not yet valid"):
        await verifier.verify(not_yet_valid)


@pytest.mark.parametrize("missing", ["exp", "iss", "aud"])
async def test_exp_iss_and_aud_are_required(missing: str) -> None:
    private, published = institution_keys()
    verifier = TokenVerifier(published, issuer=ISSUER, audience=AUDIENCE)
    token = provider_token(private["ec-1"], "ec-1", "ES256")
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    del claims[missing]
    unsigned_header = token.split(".")[0]
    partial = jwt.encode(json.loads(base64.urlsafe_b64decode(unsigned_header + "==")), claims, private["ec-1"])
    with pytest.raises(Unauthorized, match=f"the bearer token is invalid: .*{missing}"):
        await verifier.verify(partial)


async def test_an_expired_token_from_another_issuer_is_refused_as_expired() -> None:
    # One reason whatever order the token lists its claims in: expiry is checked before the issuer.
    private, published = institution_keys()
    verifier = TokenVerifier(published, issuer=ISSUER, audience=AUDIENCE)
    long_ago = int(time.time()) - 600
    token = provider_token(private["ec-1"], "ec-1", "ES256", iss="https://elsewhere.example", exp=long_ago)
    with pytest.raises(Unauthorized, match="has expired"):
        await verifier.verify(token)


async def test_a_shared_secret_in_the_key_set_is_never_used() -> None:
    secret = OctKey.import_key(b"a-shared-secret-that-someone-published".ljust(32, b"0"))
    published = StaticJwks(lambda: {"keys": [secret.as_dict(private=True) | {"kid": "oct-1"}]})
    verifier = TokenVerifier(published, issuer=ISSUER, audience=AUDIENCE, algorithms=("ES256", "HS256"))
    with pytest.raises(Unauthorized, match="unknown key"):
        await verifier.verify(provider_token(secret, "oct-1", "HS256"))
