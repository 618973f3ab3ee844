"""The JWT registered claims of a VC-JWT and their agreement with the credential (OB 3.0, section 8.2.4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# Claim names that are JWT bookkeeping, not credential properties: removed before JSON-LD processing (safe mode
# would otherwise call them undefined terms).
REGISTERED_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def subject_id(credential: Mapping[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    value = subject.get("id") if isinstance(subject, Mapping) else None
    return value if isinstance(value, str) else None


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def numeric_date(value: object) -> int | None:
    moment = parse_time(value)
    return int(moment.timestamp()) if moment is not None else None


def claims_for(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The registered claims that mirror the credential: iss, jti, sub, nbf, exp."""
    claims: dict[str, Any] = {}
    if (iss := issuer_id(credential)) is not None:
        claims["iss"] = iss
    if isinstance(credential.get("id"), str):
        claims["jti"] = credential["id"]
    if (sub := subject_id(credential)) is not None:
        claims["sub"] = sub
    if (nbf := numeric_date(credential.get("validFrom"))) is not None:
        claims["nbf"] = nbf
    if (exp := numeric_date(credential.get("validUntil"))) is not None:
        claims["exp"] = exp
    return claims


def claim_disagreements(payload: Mapping[str, Any], credential: Mapping[str, Any]) -> list[str]:
    """Human descriptions of each registered claim that contradicts the credential (empty when consistent).

    `iss` is required (it names who signed); the other claims must agree when present.
    """
    problems: list[str] = []
    expected = claims_for(credential)
    if "iss" not in payload:
        problems.append("the JWT has no iss claim")
    start_key = "validFrom" if "validFrom" in credential else "issuanceDate"
    end_key = "validUntil" if "validUntil" in credential else "expirationDate"
    expected_times = {"nbf": numeric_date(credential.get(start_key)), "exp": numeric_date(credential.get(end_key))}
    for claim in ("iss", "jti", "sub"):
        if claim in payload and payload[claim] != expected.get(claim):
            problems.append(f"{claim} is {payload[claim]!r} but the credential says {expected.get(claim)!r}")
    for claim, source in (("nbf", start_key), ("exp", end_key)):
        if claim not in payload:
            continue
        value = payload[claim]
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(f"{claim} is not a NumericDate")
        elif expected_times[claim] is None or int(value) != expected_times[claim]:
            problems.append(f"{claim} is {value} but the credential's {source} is {credential.get(source)!r}")
    return problems
