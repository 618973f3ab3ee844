"""The checks of the report that depend on time, status and trust: applied on every verification, cached or
not (verify.py runs them; the VC-JWT verifier reuses them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from rexvet_credentials.ports import StatusChecker, StatusOutcome, TrustedIssuerRegistry
from rexvet_credentials.prepare import Prepared
from rexvet_credentials.report import Check, CheckOutcome, failed, not_checked, passed

DEFAULT_CLOCK_SKEW = timedelta(minutes=5)


async def check_status(credential: Mapping[str, Any], checker: StatusChecker | None) -> Check:
    entries = credential.get("credentialStatus")
    if entries is None:
        return passed("status", "no_status", "the credential has no credentialStatus: nothing to revoke")
    items = entries if isinstance(entries, list) else [entries]
    if not all(isinstance(e, Mapping) for e in items):
        return failed("status", "status_malformed", "credentialStatus must be an object or a list of objects")
    if checker is None:
        return not_checked(
            "status", "status_checker_unavailable", "the credential has a status entry but no status checker was given"
        )
    results = [await checker.check(credential, entry) for entry in items]
    for outcome in (StatusOutcome.REVOKED, StatusOutcome.SUSPENDED):
        for result in results:
            if result.outcome is outcome:
                return failed("status", result.code, result.message, **dict(result.details))
    for result in results:
        if result.outcome is StatusOutcome.COULD_NOT_CHECK:
            return not_checked("status", result.code, result.message, **dict(result.details))
    return passed("status", results[0].code, "; ".join(r.message for r in results))


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _validity_bounds(credential: Mapping[str, Any]) -> Check | tuple[datetime, datetime | None, str, str]:
    """A failed check, or (start, end, start text, end text): parsed once per prepared credential."""
    start_key = "validFrom" if "validFrom" in credential else "issuanceDate"
    end_key = "validUntil" if "validUntil" in credential else "expirationDate"
    start = parse_time(credential.get(start_key))
    if start_key in credential and start is None:
        return failed("validity_period", "valid_from_malformed", f"{start_key} is not an ISO 8601 date-time")
    end = parse_time(credential.get(end_key))
    if end_key in credential and end is None:
        return failed("validity_period", "valid_until_malformed", f"{end_key} is not an ISO 8601 date-time")
    if start is None:
        return failed("validity_period", "valid_from_missing", "the credential has no validFrom")
    return start, end, str(credential[start_key]), str(credential.get(end_key, ""))


def check_validity_period(credential: Mapping[str, Any], now: datetime, skew: timedelta = DEFAULT_CLOCK_SKEW) -> Check:
    """The `validity_period` check of a credential at `now` (validFrom/validUntil, or the VC 1.1 names)."""
    bounds = _validity_bounds(credential)
    return bounds if isinstance(bounds, Check) else _within(bounds, now, skew)


def check_prepared_validity(prepared: Prepared, now: datetime, skew: timedelta) -> Check:
    bounds = prepared.validity
    if bounds is None:
        assert prepared.credential is not None
        bounds = prepared.validity = _validity_bounds(prepared.credential)
    if isinstance(bounds, Check):
        return bounds
    return _within(bounds, now, skew)


def _within(bounds: tuple[datetime, datetime | None, str, str], now: datetime, skew: timedelta) -> Check:
    start, end, start_text, end_text = bounds
    if now + skew < start:
        return failed("validity_period", "not_yet_valid", f"the credential is valid only from {start_text}")
    if end is not None and now - skew > end:
        return failed("validity_period", "expired", f"the credential expired at {end_text}")
    return _valid_between(start_text, end_text)


@lru_cache(maxsize=1024)
def _valid_between(start_text: str, end_text: str) -> Check:
    # does not name the current instant, so one Check object serves every verification of a credential
    until = f" until {end_text}" if end_text else ""
    return Check("validity_period", CheckOutcome.PASSED, "within_validity_period", f"valid from {start_text}{until}")


async def check_registered_issuer(issuer_id: str | None, registry: TrustedIssuerRegistry | None) -> Check:
    if registry is None:
        return not_checked("registered_issuer", "no_registry", "no trusted-issuer registry was given")
    if issuer_id is None:
        return failed("registered_issuer", "issuer_missing", "the credential has no issuer id")
    entry = await registry.lookup(issuer_id)
    if entry is None:
        return failed(
            "registered_issuer",
            "issuer_not_registered",
            f"{issuer_id} is not a registered consortium member (the signature may still be valid)",
        )
    name = f" ({entry.name})" if entry.name else ""
    return passed("registered_issuer", "issuer_registered", f"{issuer_id}{name} is a registered member")
