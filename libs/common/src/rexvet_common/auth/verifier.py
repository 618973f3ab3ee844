"""Bearer token verification: signature against the issuer's keys, then issuer, audience, expiry and our claims."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jwt

from rexvet_common.auth.jwks import KeySource
from rexvet_common.auth.principal import DEV_TOKEN_CLAIM, ClaimNames, Principal, words
from rexvet_common.problems import Unauthorized


class TokenVerifier:
    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        algorithms: Iterable[str] = ("ES256", "RS256", "EdDSA"),
        claims: ClaimNames | None = None,
        leeway_seconds: int = 30,
        refuse_dev_tokens: bool = False,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.algorithms = tuple(algorithms)
        self.claims = claims or ClaimNames()
        self.leeway_seconds = leeway_seconds
        self.refuse_dev_tokens = refuse_dev_tokens

    async def verify(self, token: str) -> Principal:
        """The caller's `Principal`; `Unauthorized` (401) for any token we cannot trust."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as exc:
            raise Unauthorized("the bearer token is not a well-formed JWT") from exc
        algorithm = header.get("alg")
        if algorithm not in self.algorithms:
            raise Unauthorized(f"tokens signed with {algorithm!r} are not accepted (allowed: {list(self.algorithms)})")
        key = await self.keys.signing_key(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_seconds,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the bearer token has expired; get a new one") from exc
        except jwt.InvalidSignatureError as exc:
            raise Unauthorized("the bearer token's signature does not verify") from exc
        except jwt.InvalidAudienceError as exc:
            raise Unauthorized(f"the bearer token is not meant for this platform (audience {self.audience!r})") from exc
        except jwt.InvalidIssuerError as exc:
            raise Unauthorized(f"the bearer token was not issued by {self.issuer}") from exc
        except jwt.InvalidTokenError as exc:
            raise Unauthorized(f"the bearer token is invalid: {exc}") from exc
        if self.refuse_dev_tokens and claims.get(DEV_TOKEN_CLAIM):
            raise Unauthorized("development tokens are refused in production")
        return self._principal(claims)

    def _principal(self, claims: dict[str, Any]) -> Principal:
        names = self.claims
        sub = claims.get(names.sub)
        tenant = claims.get(names.tenant)
        missing = [name for name, value in ((names.sub, sub), (names.tenant, tenant)) if not isinstance(value, str)]
        if missing or not sub or not tenant:
            raise Unauthorized(f"the bearer token lacks the claims {missing or [names.sub, names.tenant]}")
        try:
            roles = words(claims.get(names.roles))
            scopes = words(claims.get(names.scope))
        except ValueError as exc:
            raise Unauthorized(f"the bearer token's {names.roles!r} or {names.scope!r} claim {exc}") from exc
        return Principal(sub=str(sub), tenant=str(tenant), roles=roles, scopes=scopes, claims=claims)
