"""Revoking, suspending and unsuspending an issued credential's record, with the event each one announces.

Revocation is final; a suspension can be lifted. Each change is idempotent: a record already in the asked state
is left as it is, and no second event is emitted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from rexvet_common.events.catalogue import BADGE_REVOKED, BADGE_SUSPENDED, BADGE_UNSUSPENDED, BadgeStatusChanged
from rexvet_common.events.envelope import partition_key
from rexvet_common.ports.document_store import Document
from rexvet_issuer.application.events import ISSUER_EVENTS

Action = Literal["revoke", "suspend", "unsuspend"]


class StatusChangeRefused(Exception):
    """The change contradicts the credential's state (suspending a revoked credential...)."""


def status_changed(current: Document, action: Action, reason: str | None, list_url: str) -> Document | None:
    """The record after `action`, with its event; None when it is already in that state.

    `list_url` is the status list credential that the change flips (the revocation or the suspension list).
    """
    now = datetime.now(UTC)
    if action == "revoke":
        if current["revoked"]:
            return None
        changed = {**current, "revoked": True, "revoked_at": now.isoformat(), "revocation_reason": reason}
        event_type = BADGE_REVOKED
    elif current["revoked"]:
        raise StatusChangeRefused(f"the credential is revoked; it cannot be {action}ed")
    elif action == "suspend":
        if current["suspended"]:
            return None
        changed = {**current, "suspended": True, "suspended_at": now.isoformat(), "suspension_reason": reason}
        event_type = BADGE_SUSPENDED
    else:
        if not current["suspended"]:
            return None
        # announced like the suspension: coaching resumes the level, verifiers drop their cached suspension list
        changed = {**current, "suspended": False, "unsuspended_at": now.isoformat()}
        event_type = BADGE_UNSUSPENDED
    payload = BadgeStatusChanged(
        institution=current["institution"],
        staff_id=current["staff_id"],
        credential_id=current["credential_id"],
        badge_id=current["badge_id"],
        reason=reason,
        changed_at=now,
        status_list_credential=list_url,  # verifiers drop their cached copy of that list
    )
    key = partition_key(current["institution"], current["staff_id"])
    return ISSUER_EVENTS.announce(changed, event_type, key=key, subject=current["credential_id"], payload=payload)
