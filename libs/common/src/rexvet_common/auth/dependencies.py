"""FastAPI dependencies: "this operation needs scope X and one of roles Y"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rexvet_common.auth.principal import Principal
from rexvet_common.auth.verifier import TokenVerifier
from rexvet_common.problems import Forbidden, Problem, Unauthorized

# auto_error=False: a missing header must become our 401 problem, not FastAPI's plain 403.
_bearer = HTTPBearer(auto_error=False, description="A JWT from the configured issuer (`/oauth/token`)")


# Where the request edge (`rexvet_common.http.edge`) leaves the (token, principal) it verified before the body.
PRINCIPAL_SCOPE_KEY = "rexvet.principal"


def token_verifier_from(request: Request, app: Any = None) -> TokenVerifier:
    verifier = getattr((app or request.app).state, "token_verifier", None)
    if not isinstance(verifier, TokenVerifier):
        raise Problem("the service has not finished starting (no token verifier yet)", status=503)
    return verifier


async def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthorized(MISSING_TOKEN)
    verified = request.scope.get(PRINCIPAL_SCOPE_KEY)
    if verified is not None and verified[0] == credentials.credentials:
        principal: Principal = verified[1]
        return principal
    return await token_verifier_from(request).verify(credentials.credentials)


MISSING_TOKEN = "send the access token as `Authorization: Bearer <token>`"


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; 401 (before any work) without one."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(MISSING_TOKEN)
    return token.strip()


def require_scope_and_role(scope: str, roles: Iterable[str] = ()) -> Callable[..., Awaitable[Principal]]:
    """A dependency that yields the caller when the token has `scope` and (if any are named) one of `roles`."""
    needed_roles = frozenset(roles)

    async def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not principal.has_scope(scope):
            raise Forbidden(f"this operation needs the scope {scope!r}", required_scope=scope)
        if not principal.has_any_role(needed_roles):
            raise Forbidden(
                f"this operation needs one of the roles {sorted(needed_roles)}", required_roles=sorted(needed_roles)
            )
        return principal

    return dependency


require = require_scope_and_role
