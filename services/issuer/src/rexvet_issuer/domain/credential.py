"""Building the OpenBadgeCredential for one eligibility, exactly as standards.md describes it (unsigned).

The achievement comes from the `badge.eligible` event as coaching rendered it; this module adds the recipient
(a salted e-mail hash, the holder's DID, or failing both the staff id as a hashed `sourcedId`), the ladder result,
the evidence and the status entries. A payload that cannot make a valid credential raises `InvalidEligibility`:
the consumer lets the bus retry and dead-letter it, and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rexvet_common.events.catalogue import BadgeEligible
from rexvet_credentials.models.identity import IdentityObject
from rexvet_credentials.models.parse import parse_credential
from rexvet_issuer.domain.profile import OB_CONTEXT, VC2_CONTEXT

CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]


class InvalidEligibility(ValueError):
    """The eligibility cannot become a valid credential; the message says which part is wrong."""


@dataclass(frozen=True)
class CredentialParts:
    credential_id: str
    issuer_profile: dict[str, Any]
    issued_at: datetime
    status: dict[str, str] | None  # OB 3.0 allows one credentialStatus (0..1), not an array
    salt: str | None = None  # the IdentityObject's salt; random when not given


def iso_seconds(instant: datetime) -> str:
    return instant.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_credential(eligible: BadgeEligible, parts: CredentialParts) -> dict[str, Any]:
    achievement = eligible.achievement
    if not isinstance(achievement.get("name"), str) or not isinstance(achievement.get("id"), str):
        raise InvalidEligibility("the achievement needs an `id` and a `name`")
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    subject.update(_recipient(eligible.recipient, eligible.staff_id, parts.salt))
    subject["achievement"] = achievement
    result = _result(eligible)
    if result is not None:
        subject["result"] = [result]
    credential: dict[str, Any] = {
        "@context": [VC2_CONTEXT, OB_CONTEXT],
        "id": parts.credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": achievement["name"],
        "issuer": parts.issuer_profile,
        "validFrom": iso_seconds(parts.issued_at),
        "credentialSubject": subject,
    }
    if eligible.evidence:
        credential["evidence"] = [_evidence(item, n) for n, item in enumerate(eligible.evidence)]
    if parts.status is not None:
        credential["credentialStatus"] = parts.status
    _, problems = parse_credential(credential)
    if problems:
        raise InvalidEligibility("the credential would not be valid: " + "; ".join(str(p) for p in problems))
    return credential


def _recipient(recipient: dict[str, Any], staff_id: str, salt: str | None) -> dict[str, Any]:
    did, email = recipient.get("did"), recipient.get("email")
    found: dict[str, Any] = {}
    if isinstance(did, str) and did:
        if not did.startswith("did:"):
            raise InvalidEligibility(f"recipient.did {did!r} is not a DID")
        found["id"] = did
    if isinstance(email, str) and email.strip():
        identity = IdentityObject.hashed_identifier(email.strip().lower(), salt=salt)
        found["identifier"] = [identity.to_json()]
    if not found:
        # No e-mail and no wallet: the institution's own id of the person, hashed like an e-mail would be.
        identity = IdentityObject.hashed_identifier(staff_id, identity_type="sourcedId", salt=salt)
        found["identifier"] = [identity.to_json()]
    return found


def _result(eligible: BadgeEligible) -> dict[str, Any] | None:
    """The Result naming the ladder level earned, when the achievement describes the ladder."""
    descriptions = eligible.achievement.get("resultDescription") or []
    if not descriptions:
        return None
    by_id = {d.get("id"): d for d in descriptions if isinstance(d, dict)}
    if eligible.result is not None:
        description_id, level_id = eligible.result.resultDescription, eligible.result.achievedLevel
    else:
        first = descriptions[0]
        description_id = first.get("id")
        level_id = next(
            (
                level.get("id")
                for level in first.get("rubricCriterionLevel") or []
                if str(level.get("id", "")).rstrip("/").endswith(f"/{eligible.level}")
            ),
            first.get("requiredLevel"),
        )
    description = by_id.get(description_id)
    if description is None:
        raise InvalidEligibility(f"result.resultDescription {description_id!r} is not one of the achievement's")
    levels = {level.get("id") for level in description.get("rubricCriterionLevel") or [] if isinstance(level, dict)}
    if level_id not in levels:
        raise InvalidEligibility(f"result.achievedLevel {level_id!r} is not a level of {description_id}")
    return {"type": ["Result"], "resultDescription": description_id, "achievedLevel": level_id}


def _evidence(item: dict[str, Any], position: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise InvalidEligibility(f"evidence[{position}] is not an object")
    evidence = {name: value for name, value in item.items() if value not in (None, "", [], {})}
    evidence.setdefault("type", ["Evidence"])
    return evidence
