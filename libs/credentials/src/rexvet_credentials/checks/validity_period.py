"""The `validity_period` check: validFrom/validUntil (or the VC 1.1 issuanceDate/expirationDate) at the
verification's time, with a clock skew."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from rexvet_credentials.checks.conventions import under_first_ob_context
from rexvet_credentials.checks.registry import CheckInput, VerificationCheck
from rexvet_credentials.prepare import Prepared, is_open_badge
from rexvet_credentials.report import Check, CheckOutcome, failed

VALIDITY_PERIOD = "validity_period"
DEFAULT_CLOCK_SKEW = timedelta(minutes=5)


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
        return failed(
            VALIDITY_PERIOD,
            "valid_from_malformed",
            f"{start_key} is not an ISO 8601 date-time",
            params={"field": start_key},
        )
    end = parse_time(credential.get(end_key))
    if end_key in credential and end is None:
        return failed(
            VALIDITY_PERIOD,
            "valid_until_malformed",
            f"{end_key} is not an ISO 8601 date-time",
            params={"field": end_key},
        )
    if start is None and under_first_ob_context(credential):
        # OB 3.0.0 credentials may lack validFrom (1EdTech: valid, with a warning; the `valid_from` check)
        return datetime.min.replace(tzinfo=UTC), end, "", str(credential.get(end_key, ""))
    if start is None and is_open_badge(credential):
        return failed(VALIDITY_PERIOD, "valid_from_missing", "the credential has no validFrom")
    if start is None:  # the VC data model makes validFrom optional: valid since it was issued
        return datetime.min.replace(tzinfo=UTC), end, "", str(credential.get(end_key, ""))
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
        return failed(
            VALIDITY_PERIOD,
            "not_yet_valid",
            f"the credential is valid only from {start_text}",
            params={"start": start_text},
        )
    if end is not None and now - skew > end:
        return failed(VALIDITY_PERIOD, "expired", f"the credential expired at {end_text}", params={"end": end_text})
    return _valid_between(start_text, end_text)


@lru_cache(maxsize=1024)
def _valid_between(start_text: str, end_text: str) -> Check:
    # does not name the current instant, so one Check object serves every verification of a credential
    until = f" until {end_text}" if end_text else ""
    since = f"valid from {start_text}" if start_text else "valid (it names no validFrom)"
    params = {name: text for name, text in (("start", start_text), ("end", end_text)) if text}
    return Check(VALIDITY_PERIOD, CheckOutcome.PASSED, "within_validity_period", f"{since}{until}", params=params)


def _run(subject: CheckInput) -> Check:
    # the bounds are parsed once per prepared credential (the verification cache keeps them)
    return check_prepared_validity(subject.prepared, subject.now, subject.clock_skew)


VALIDITY_PERIOD_CHECK = VerificationCheck(
    id=VALIDITY_PERIOD,
    title="Within its validity period",
    failure="the credential is not yet valid or has expired (or its dates cannot be read)",
    run=_run,
    list_proof=True,
)
