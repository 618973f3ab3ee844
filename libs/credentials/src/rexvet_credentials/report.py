"""The verification report: every check with its outcome, a stable code and a human message.

Overall outcome (standards.md): `verified` only when every check passed; `failed` when any check failed;
`incomplete` when nothing failed but a check could not run. Checks of severity `warning` (the issuer registry)
are reported but do not decide the overall outcome: an unregistered issuer is not a bad signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class CheckOutcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_CHECKED = "not_checked"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Outcome(StrEnum):
    VERIFIED = "verified"
    FAILED = "failed"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    outcome: CheckOutcome
    code: str
    message: str
    severity: Severity = Severity.ERROR
    details: Mapping[str, Any] = field(default_factory=dict)
    # the message's dynamic parts by name (ISO dates, names, numbers as text), for whoever words the outcome in
    # another language (the verifier's pages); not part of the JSON report, and not of a check's identity. A plain
    # dict: checks cross the verifier's process pool, pickled
    params: Mapping[str, str] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "outcome": self.outcome.value,
            "code": self.code,
            "message": self.message,
            "severity": self.severity.value,
        }
        if self.details:
            out["details"] = dict(self.details)
        return out


def passed(check_id: str, code: str, message: str, *, params: Mapping[str, str] | None = None, **details: Any) -> Check:
    return Check(check_id, CheckOutcome.PASSED, code, message, details=details, params=params or {})


def failed(check_id: str, code: str, message: str, *, params: Mapping[str, str] | None = None, **details: Any) -> Check:
    return Check(check_id, CheckOutcome.FAILED, code, message, details=details, params=params or {})


def not_checked(
    check_id: str, code: str, message: str, *, params: Mapping[str, str] | None = None, **details: Any
) -> Check:
    return Check(check_id, CheckOutcome.NOT_CHECKED, code, message, details=details, params=params or {})


def overall_outcome(checks: tuple[Check, ...]) -> Outcome:
    # module-level aliases: this runs on every verification, including cached ones
    outcome = _VERIFIED
    for check in checks:
        if check.severity is _ERROR:
            if check.outcome is _FAILED:
                return _FAILED_OUTCOME
            if check.outcome is _NOT_CHECKED:
                outcome = _INCOMPLETE
    return outcome


_VERIFIED, _FAILED_OUTCOME, _INCOMPLETE = Outcome.VERIFIED, Outcome.FAILED, Outcome.INCOMPLETE
_ERROR, _FAILED, _NOT_CHECKED = Severity.ERROR, CheckOutcome.FAILED, CheckOutcome.NOT_CHECKED


@dataclass(frozen=True, slots=True)
class VerificationReport:
    outcome: Outcome
    checks: tuple[Check, ...]
    credential_id: str | None = None
    issuer_id: str | None = None
    undefined_terms: tuple[str, ...] = ()

    @classmethod
    def from_checks(
        cls,
        checks: tuple[Check, ...],
        *,
        credential_id: str | None = None,
        issuer_id: str | None = None,
        undefined_terms: tuple[str, ...] = (),
    ) -> VerificationReport:
        return cls(overall_outcome(checks), checks, credential_id, issuer_id, undefined_terms)

    @property
    def verified(self) -> bool:
        return self.outcome is Outcome.VERIFIED

    def check(self, check_id: str) -> Check:
        for item in self.checks:
            if item.id == check_id:
                return item
        raise KeyError(check_id)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.severity is Severity.WARNING and c.outcome is not CheckOutcome.PASSED)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outcome": self.outcome.value,
            "credentialId": self.credential_id,
            "issuerId": self.issuer_id,
            "checks": [c.to_dict() for c in self.checks],
        }
        if self.undefined_terms:
            out["undefinedTerms"] = list(self.undefined_terms)
        return out


def __getattr__(name: str) -> tuple[str, ...]:
    # CHECK_IDS (a Data Integrity report's check ids, in order) belongs to the checks' registry, which imports
    # this module; read lazily here for the callers that have always found it in the report.
    if name == "CHECK_IDS":
        from rexvet_credentials.checks import VERIFICATION_CHECKS

        return VERIFICATION_CHECKS.data_integrity.ids
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
