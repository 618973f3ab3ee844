"""Who is calling: the claims a verified token carries, under the claim names the deployment configured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Claim that marks a token minted by `rexvet auth dev-token`; production refuses such tokens.
DEV_TOKEN_CLAIM = "rexvet_dev"

ROLES = ("staff", "coach", "manager", "institution-admin", "consortium-admin", "hr-system")


@dataclass(frozen=True)
class ClaimNames:
    """Institutions' OpenID providers name claims their own way (e.g. `groups` for roles, `scp` for scope)."""

    sub: str = "sub"
    tenant: str = "tenant"
    roles: str = "roles"
    scope: str = "scope"


@dataclass(frozen=True)
class Principal:
    sub: str
    tenant: str
    roles: frozenset[str]
    scopes: frozenset[str]
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def has_any_role(self, roles: frozenset[str]) -> bool:
        return not roles or bool(self.roles & roles)


def words(value: Any) -> frozenset[str]:
    """A claim given as a space-separated string (OAuth `scope`) or as a JSON array (many providers' roles)."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return frozenset(value)
    raise ValueError("must be a space-separated string or an array of strings")
