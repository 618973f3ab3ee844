"""The token verifier on its own: configurable claim names, list or string claims, algorithm allow-list."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from common.service_harness import AUDIENCE, ISSUER

from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.auth.principal import ClaimNames
from rexvet_common.auth.verifier import TokenVerifier
from rexvet_common.problems import Unauthorized
from rexvet_issuer.token_service.keys import SigningKeyRing

pytestmark = pytest.mark.unit


def signed(ring: SigningKeyRing, claims: dict[str, Any], *, algorithm: str = "ES256") -> str:
    key = ring.ensure(allow_create=False)
    base = {"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 300}
    return jwt.encode(base | claims, key.private_key, algorithm=algorithm, headers={"kid": key.kid})


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
    unsigned = jwt.encode(claims, "", algorithm="none")  # PyJWT takes "" as no key for `none`
    # HS256 keyed with the public key's text: the classic algorithm-confusion forgery.
    public_jwk = str(key_ring.jwks()["keys"][0])
    confused = jwt.encode(claims, public_jwk.encode().ljust(32, b"0"), algorithm="HS256")
    for token in (unsigned, confused):
        with pytest.raises(Unauthorized, match="not accepted"):
            await verifier.verify(token)
