"""What the issuer's endpoints share: the service's context and who may call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated

from fastapi import Depends, Request

from rexvet_common.auth import Principal, require
from rexvet_common.auth.dependencies import authenticated
from rexvet_common.http import runtime_from
from rexvet_common.problems import Forbidden
from rexvet_issuer import scopes
from rexvet_issuer.bootstrap import IssuerContext


def issuer_context(request: Request) -> IssuerContext:
    context = runtime_from(request).context
    assert isinstance(context, IssuerContext)
    return context


def require_any_scope(accepted: Iterable[str], roles: Iterable[str] = ()) -> Callable[..., Awaitable[Principal]]:
    """Like `require`, but one of several scopes is enough (an OB 3.0 scope URI or the rexvet scope it maps to)."""
    accepted_scopes = tuple(accepted)
    needed_roles = frozenset(roles)

    async def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not any(principal.has_scope(scope) for scope in accepted_scopes):
            raise Forbidden(
                f"this operation needs one of the scopes {list(accepted_scopes)}", required_scopes=list(accepted_scopes)
            )
        if not principal.has_any_role(needed_roles):
            raise Forbidden(
                f"this operation needs one of the roles {sorted(needed_roles)}", required_roles=sorted(needed_roles)
            )
        return principal

    return dependency


Context = Annotated[IssuerContext, Depends(issuer_context)]
InstitutionAdmin = Annotated[Principal, Depends(require(scopes.WRITE, roles=["institution-admin"]))]
StatusManager = Annotated[Principal, Depends(require(scopes.WRITE, roles=["institution-admin", "manager"]))]
InstitutionReader = Annotated[Principal, Depends(require(scopes.READ, roles=["institution-admin", "manager"]))]
StaffReader = Annotated[Principal, Depends(require(scopes.READ, roles=["staff"]))]
# The OB 3.0 API serves the bearer's own resources; like /v1/me/credentials, to staff members.
ObCredentialReader = Annotated[Principal, Depends(require_any_scope(scopes.OB_READ_CREDENTIALS, roles=["staff"]))]
ObProfileReader = Annotated[Principal, Depends(require_any_scope(scopes.OB_READ_PROFILE, roles=["staff"]))]
