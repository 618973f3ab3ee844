"""What a credential says about itself, for the result page: badge, level, issuer, dates.

Shown only when the signature is valid and the key is the issuer's (`authentic`): then the words are the issuer's,
even if the credential was revoked or expired since. A credential whose proof failed or could not be checked may
say anything, so nothing it says is shown as if it were so.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rexvet_credentials.baking import BakingError, extract_image
from rexvet_credentials.baking.common import is_image
from rexvet_credentials.jwt.verify import looks_like_jwt
from rexvet_credentials.report import CheckOutcome, VerificationReport


@dataclass(frozen=True, slots=True)
class CredentialSummary:
    achievement: str | None
    description: str | None
    level: str | None
    issuer: str | None
    valid_from: str | None
    valid_until: str | None


def authentic(report: VerificationReport) -> bool:
    checks = {c.id: c.outcome for c in report.checks}
    return checks.get("proof") is CheckOutcome.PASSED and checks.get("key_binding") is CheckOutcome.PASSED


def summarize(presented: bytes, report: VerificationReport) -> CredentialSummary | None:
    if not authentic(report):
        return None
    credential = _credential(presented)
    if credential is None:
        return None
    subject = _first(credential.get("credentialSubject"))
    achievement = _mapping(subject.get("achievement"))
    issuer = credential.get("issuer")
    return CredentialSummary(
        achievement=_text(achievement.get("name")) or _text(credential.get("name")),
        description=_text(achievement.get("description")),
        level=_level(subject, achievement),
        issuer=_text(issuer.get("name")) if isinstance(issuer, Mapping) else None,
        valid_from=_text(credential.get("validFrom") or credential.get("issuanceDate")),
        valid_until=_text(credential.get("validUntil") or credential.get("expirationDate")),
    )


def _credential(presented: bytes) -> Mapping[str, Any] | None:
    text = presented
    if is_image(presented):
        try:
            text = extract_image(presented).text.encode("utf-8")
        except BakingError:
            return None
    text = text.strip()
    try:
        if looks_like_jwt(text):
            payload = json.loads(_b64(text.split(b".")[1]))
            value = payload.get("vc", payload) if isinstance(payload, dict) else None
        else:
            value = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, Mapping) else None


def _level(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> str | None:
    """The name of the rubric level the subject's result names (the REX VET ladder: Rookie, Advanced, Expert)."""
    achieved = {_text(_mapping(r).get("achievedLevel")) for r in _list(subject.get("result"))} - {None}
    for description in _list(achievement.get("resultDescription")):
        for level in _list(_mapping(description).get("rubricCriterionLevel")):
            level_map = _mapping(level)
            if level_map.get("id") in achieved:
                return _text(level_map.get("name"))
    return None


def _b64(segment: bytes) -> bytes:
    return base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _first(value: object) -> Mapping[str, Any]:
    items = _list(value)
    return _mapping(items[0]) if items else {}
