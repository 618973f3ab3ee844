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


def mint_id_token(
    key: SigningKey,
    *,
    issuer: str,
    client_id: str,
    claims: dict[str, Any],
    nonce: str | None,
    auth_time: int,
    ttl_seconds: int,
    now: float | None = None,
) -> str:
    """An OpenID Connect ID Token (Core §2): for the client (`aud`), with the person's `name`, `tenant`, `roles`."""
    issued_at = int(now if now is not None else time.time())
    body: dict[str, Any] = claims | {
        "iss": issuer,
        "aud": client_id,
        "azp": client_id,
        "iat": issued_at,
        "exp": issued_at + ttl_seconds,
        "auth_time": auth_time,
    }
    if nonce is not None:
        body["nonce"] = nonce
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}
    return jwt.encode(header, body, jwk.ECKey.import_key(key.private_key), algorithms=[ALGORITHM])
