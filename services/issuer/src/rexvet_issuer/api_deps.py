"""What the issuer's endpoints share: the service's context and who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from rexvet_common.auth import Principal, require
from rexvet_common.http import runtime_from
from rexvet_issuer import scopes
from rexvet_issuer.bootstrap import IssuerContext


def issuer_context(request: Request) -> IssuerContext:
    context = runtime_from(request).context
    assert isinstance(context, IssuerContext)
    return context


Context = Annotated[IssuerContext, Depends(issuer_context)]
InstitutionAdmin = Annotated[Principal, Depends(require(scopes.WRITE, roles=["institution-admin"]))]
StatusManager = Annotated[Principal, Depends(require(scopes.WRITE, roles=["institution-admin", "manager"]))]
InstitutionReader = Annotated[Principal, Depends(require(scopes.READ, roles=["institution-admin", "manager"]))]
StaffReader = Annotated[Principal, Depends(require(scopes.READ, roles=["staff"]))]
