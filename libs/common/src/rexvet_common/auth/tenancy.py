"""Tenant isolation at the edge: another institution's resource is indistinguishable from a missing one."""

from __future__ import annotations

from typing import TypeVar

from rexvet_common.auth.principal import Principal
from rexvet_common.problems import NotFound

T = TypeVar("T")


def ensure_same_tenant(principal: Principal, resource_tenant: str | None, *, what: str = "resource") -> None:
    """Raise 404 when the resource is absent (`None`) or belongs to another tenant than the caller's."""
    if resource_tenant is None or resource_tenant != principal.tenant:
        raise NotFound(f"no such {what} in your institution")


def owned_or_404(principal: Principal, resource: T | None, resource_tenant: str | None, *, what: str = "resource") -> T:
    """Return `resource` when it exists and is the caller's tenant's; otherwise 404."""
    ensure_same_tenant(principal, resource_tenant if resource is not None else None, what=what)
    assert resource is not None
    return resource
