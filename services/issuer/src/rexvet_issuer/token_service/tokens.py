"""Minting access tokens: the claims every rexvet service reads (`sub`, `tenant`, `roles`, `scope`)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

from joserfc import jwk, jwt

from rexvet_common.auth.principal import DEV_TOKEN_CLAIM
from rexvet_issuer.token_service.keys import ALGORITHM, SigningKey


def mint_access_token(
    key: SigningKey,
    *,
    issuer: str,
    audience: str,
    sub: str,
    tenant: str,
    roles: Iterable[str],
    scopes: Iterable[str],
    ttl_seconds: int,
    development: bool = False,
    extra_claims: dict[str, Any] | None = None,
    now: float | None = None,
) -> str:
    issued_at = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": sub,
        "tenant": tenant,
        "roles": sorted(set(roles)),
        "scope": " ".join(sorted(set(scopes))),
        "iat": issued_at,
        "nbf": issued_at,
        "exp": issued_at + ttl_seconds,
        "jti": str(uuid.uuid4()),
    }
    if development:
        claims[DEV_TOKEN_CLAIM] = True
    claims.update(extra_claims or {})
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "at+jwt"}
    return jwt.encode(header, claims, jwk.ECKey.import_key(key.private_key), algorithms=[ALGORITHM])
