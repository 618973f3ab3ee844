"""Bearer token verification: signature against the issuer's keys, then issuer, audience, expiry and our claims."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    JoseError,
    MissingClaimError,
    SecurityWarning,
)

from rexvet_common.auth.jwks import KeySource
from rexvet_common.auth.principal import DEV_TOKEN_CLAIM, ClaimNames, Principal, words
from rexvet_common.problems import Unauthorized

# The registered claims are checked in this order whatever order the token lists them in, so that a token that is
# both expired and from another issuer is always refused for the same reason (the order PyJWT used before).
CLAIM_CHECK_ORDER = ("iat", "nbf", "exp", "iss", "aud", "sub", "jti")


@contextmanager
def _quiet_eddsa_deprecation() -> Iterator[None]:
    """joserfc warns that RFC 9864 deprecates the polymorphic `EdDSA`; it is still what identity providers send."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)
        yield


def _jws_registry(algorithm: str) -> jws.JWSRegistry:
    """Only the token's (already allowed) algorithm. An identity provider's own header parameters are accepted, as
    JOSE allows, and its header may carry a certificate chain (`x5c`): more than joserfc's default 512 bytes."""
    registry = jws.JWSRegistry(algorithms=[algorithm], strict_check_header=False)
    registry.max_header_length = 8 * 1024
    return registry


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
            header = jws.extract_compact(token.encode()).headers()
        except (JoseError, ValueError) as exc:
            raise Unauthorized("the bearer token is not a well-formed JWT") from exc
        algorithm = header.get("alg")
        if algorithm not in self.algorithms:
            raise Unauthorized(f"tokens signed with {algorithm!r} are not accepted (allowed: {list(self.algorithms)})")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise Unauthorized("the bearer token's `kid` header must be a string naming one of the issuer's keys")
        key = await self.keys.signing_key(kid)
        try:
            with _quiet_eddsa_deprecation():
                claims: dict[str, Any] = jwt.decode(token, key, registry=_jws_registry(algorithm)).claims
            self._registered_claims().validate(
                {name: claims[name] for name in CLAIM_CHECK_ORDER if name in claims} | claims
            )
        except ExpiredTokenError as exc:
            raise Unauthorized("the bearer token has expired; get a new one") from exc
        except BadSignatureError as exc:
            raise Unauthorized("the bearer token's signature does not verify") from exc
        except ClaimError as exc:
            if exc.claim == "aud" and not isinstance(exc, MissingClaimError):
                raise Unauthorized(
                    f"the bearer token is not meant for this platform (audience {self.audience!r})"
                ) from exc
            if exc.claim == "iss" and not isinstance(exc, MissingClaimError):
                raise Unauthorized(f"the bearer token was not issued by {self.issuer}") from exc
            raise Unauthorized(f"the bearer token is invalid: {exc}") from exc
        except JoseError as exc:
            raise Unauthorized(f"the bearer token is invalid: {exc}") from exc
        if self.refuse_dev_tokens and claims.get(DEV_TOKEN_CLAIM):
            raise Unauthorized("development tokens are refused in production")
        return self._principal(claims)

    def _registered_claims(self) -> jwt.JWTClaimsRegistry:
        """exp, iss and aud are required; exp, nbf and iat are held against the clock with the leeway."""
        return jwt.JWTClaimsRegistry(
            leeway=self.leeway_seconds,
            exp={"essential": True},
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
        )

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


def unverified_claims(token: str) -> dict[str, Any]:
    """A JWT's claims read without checking them ({} when it is no JWS): only for a token some service verifies
    anyway on every call (the portal reads who signed in from the access token it forwards)."""
    try:
        claims = json.loads(jws.extract_compact(token.encode()).payload)
    except (JoseError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}
