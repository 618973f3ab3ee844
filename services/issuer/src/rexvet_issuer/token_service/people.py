"""What a person signed in through the development OpenID provider may do: their roles' scopes.

A real OpenID provider decides scopes by its own policy; the development one grants what each role needs across the
platform, so that a person signed in at the portal can do everything their role does with `curl` today. The scope
strings are the ones the services check (services/*/src/*/scopes.py); they are written out here because a service
never imports another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rexvet_issuer import scopes as issuer_scopes

COACHING_READ, COACHING_WRITE = "coaching:read", "coaching:write"
EVIDENCE_READ, EVIDENCE_WRITE, EVIDENCE_REVIEW = "evidence:read", "evidence:write", "evidence:review"

# The roles a person (not a system: no hr-system) may choose on the development sign-in page, in the page's order.
PERSON_ROLES = ("staff", "coach", "manager", "institution-admin", "consortium-admin")

ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    # Staff climb their own ladder: enrol, complete steps, submit evidence, read their credentials.
    "staff": (COACHING_READ, COACHING_WRITE, EVIDENCE_READ, EVIDENCE_WRITE, issuer_scopes.READ),
    # Coaches also sign off steps (coaching:write) and review their coachees' evidence.
    "coach": (COACHING_READ, COACHING_WRITE, EVIDENCE_READ, EVIDENCE_REVIEW, issuer_scopes.READ),
    # Managers see their institution and revoke or suspend its credentials.
    "manager": (COACHING_READ, COACHING_WRITE, EVIDENCE_READ, issuer_scopes.READ, issuer_scopes.WRITE),
    "institution-admin": (COACHING_READ, COACHING_WRITE, EVIDENCE_READ, issuer_scopes.READ, issuer_scopes.WRITE),
    "consortium-admin": (COACHING_READ, COACHING_WRITE),
}

TENANT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PERSON_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:@-]{1,80}$")  # coaching's staff ids


def scopes_for(roles: Iterable[str]) -> list[str]:
    return sorted({scope for role in roles for scope in ROLE_SCOPES.get(role, ())})


@dataclass(frozen=True)
class SignedInPerson:
    """Who the development sign-in page says is signing in."""

    tenant: str
    sub: str
    name: str
    roles: tuple[str, ...]

    def claims(self) -> dict[str, object]:
        return {"tenant": self.tenant, "sub": self.sub, "name": self.name, "roles": list(self.roles)}


def person_from_form(
    tenant: str, sub: str, name: str, roles: list[str]
) -> tuple[SignedInPerson | None, dict[str, str]]:
    """The person, or the errors keyed by field name (each tells what to change)."""
    errors: dict[str, str] = {}
    tenant, sub, name = tenant.strip(), sub.strip(), " ".join(name.split())
    if not TENANT_PATTERN.match(tenant):
        errors["tenant"] = "Give the institution id: 1-64 letters, digits, '.', '_' or '-', e.g. omnia."
    if not PERSON_ID_PATTERN.match(sub):
        errors["sub"] = "Give the person's staff id: 1-80 letters, digits or . _ : @ -, e.g. alice."
    if not 1 <= len(name) <= 200:
        errors["name"] = "Give a display name of 1-200 characters."
    unknown = sorted(set(roles) - set(PERSON_ROLES))
    if unknown or not roles:
        errors["roles"] = f"Choose one or more roles among {', '.join(PERSON_ROLES)}."
    if errors:
        return None, errors
    return SignedInPerson(tenant=tenant, sub=sub, name=name, roles=tuple(sorted(set(roles)))), {}
