"""The people directory of an institution: who a person id is (display name, e-mail, roles), so pages show names.

An entry is fed from two sources, and each write keeps the newest value of each field it carries (each field
remembers when it was set, so an older event still fills in what a newer one did not carry: a `staff.joined` whose
delivery was retried until after a `role.changed` still brings the name):

- the HR system's events, as accepted by the evidence service (`hr.event.accepted`): `staff.joined` and
  `role.changed` read the fields `name` (or `display_name`), `email` and `roles` (an array of role names or one
  space-separated string); any of them may be missing, and a value of the wrong shape is ignored, not fatal (the same
  event also feeds the ladder, which must not be blocked by a typo in a name). `staff.left` erases the entry.
- the claims of the person signing in at the portal: tenant, id and roles from the verified token, display name and
  e-mail as the portal read them from the OpenID provider.

Erasure removes the name, the e-mail and the roles. What stays is a departure marker holding only the id and the
instant the person left, so that an HR event about them from before that instant (a late redelivery, a replayed
backlog) cannot bring their name back. Wherever names are shown, an erased person appears by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
MAX_ROLE_LENGTH = 40
MAX_ROLES = 20

# The HR event types the directory reads; any other type leaves it as it is.
HR_PROFILE_TYPES = frozenset({"staff.joined", "role.changed"})
HR_LEFT_TYPE = "staff.left"
DIRECTORY_HR_TYPES = HR_PROFILE_TYPES | {HR_LEFT_TYPE}

COACH_ROLE = "coach"


class PersonEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant: str
    person_id: str
    display_name: str | None = None
    email: str | None = None
    roles: list[str] = []
    updated_at: datetime | None = None
    left_at: datetime | None = None  # set on erasure; the entry then holds nothing else about the person
    # When each of display_name, email and roles was last set; None in entries stored before fields were timed,
    # whose fields all count as set at `updated_at`.
    field_times: dict[str, datetime] | None = None

    def field_time(self, name: str) -> datetime | None:
        if self.field_times is not None and name in self.field_times:
            return self.field_times[name]
        return self.updated_at if getattr(self, name) not in (None, []) else None

    @property
    def present(self) -> bool:
        """False for a departure marker: the directory answers as if there were no entry."""
        return self.left_at is None or (self.updated_at is not None and self.updated_at > self.left_at)

    @property
    def is_coach(self) -> bool:
        return self.present and COACH_ROLE in self.roles


def clean_name(value: Any) -> str | None:
    """A display name as shown on pages: whitespace collapsed, bounded; None when it is not a usable name."""
    if not isinstance(value, str):
        return None
    name = " ".join(value.split())
    return name[:MAX_NAME_LENGTH] if name else None


def clean_email(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    email = value.strip()
    if not email or len(email) > MAX_EMAIL_LENGTH or email.count("@") != 1 or any(c.isspace() for c in email):
        return None
    local, domain = email.split("@")
    return email if local and domain else None


def clean_roles(value: Any) -> list[str] | None:
    """Roles as an array of names or one space-separated string; None when neither."""
    if isinstance(value, str):
        items: Iterable[Any] = value.split()
    elif isinstance(value, list):
        items = value
    else:
        return None
    if not all(isinstance(item, str) for item in items):
        return None
    roles = sorted({item.strip() for item in items if item.strip() and len(item.strip()) <= MAX_ROLE_LENGTH})
    return roles[:MAX_ROLES]


def _erased(entry: PersonEntry, at: datetime) -> PersonEntry:
    return PersonEntry(tenant=entry.tenant, person_id=entry.person_id, left_at=at)


def apply_hr_event(
    entry: PersonEntry | None,
    *,
    tenant: str,
    person_id: str,
    hr_type: str,
    fields: Mapping[str, Any],
    occurred_at: datetime,
) -> PersonEntry | None:
    """The entry after an accepted HR event; None when the event does not change the directory."""
    if hr_type not in DIRECTORY_HR_TYPES:
        return None
    current = entry or PersonEntry(tenant=tenant, person_id=person_id)
    if current.left_at is not None and occurred_at <= current.left_at:
        return None  # from before the person left: never brings erased data back
    if hr_type == HR_LEFT_TYPE:
        return _erased(current, occurred_at)
    carried = {
        "display_name": clean_name(fields.get("name", fields.get("display_name"))),
        "email": clean_email(fields.get("email")),
        "roles": clean_roles(fields.get("roles")),
    }
    times = dict(current.field_times or {})
    update: dict[str, Any] = {}
    for name, value in carried.items():
        since = current.field_time(name)
        if value is not None and (since is None or occurred_at >= since):
            update[name] = value
            times[name] = occurred_at
    newer = current.updated_at is None or occurred_at >= current.updated_at
    if not update and not newer:
        return None  # older than what the entry shows of every field it carries
    return current.model_copy(
        update={**update, "field_times": times, "updated_at": occurred_at if newer else current.updated_at}
    )


@dataclass(frozen=True)
class SignIn:
    """A person signing in: institution, id and roles from the verified token; the display name and e-mail as the
    identity provider gave them (None: not given)."""

    tenant: str
    person_id: str
    roles: Iterable[str]
    display_name: str | None
    email: str | None
    at: datetime


def apply_sign_in(entry: PersonEntry | None, sign_in: SignIn) -> PersonEntry:
    """The entry after the person signed in: the token's roles are what the person may do now, so they replace the
    stored ones; a name or e-mail the provider did not give keeps the stored one. A person who signs in after
    leaving is in the directory again: the provider, not the directory, decides who may sign in."""
    at = sign_in.at
    current = entry or PersonEntry(tenant=sign_in.tenant, person_id=sign_in.person_id)
    given = {
        "display_name": clean_name(sign_in.display_name),
        "email": clean_email(sign_in.email),
        "roles": clean_roles(sorted(sign_in.roles)),
    }
    times = {
        **(current.field_times or {}),
        **{name: at for name, value in given.items() if value is not None or name == "roles"},
    }
    return current.model_copy(
        update={
            "display_name": given["display_name"] or (current.display_name if current.present else None),
            "email": given["email"] or (current.email if current.present else None),
            "roles": given["roles"] or [],
            "updated_at": at,
            "field_times": times,
        }
    )


def erase(entry: PersonEntry, *, at: datetime) -> PersonEntry:
    return _erased(entry, at)
