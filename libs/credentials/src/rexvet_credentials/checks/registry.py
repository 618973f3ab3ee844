"""The registry of verification checks: for each check its id, title, what a failure means, its severity, the
formats it applies to and the function that decides it; its position in the registry is its place in the report.

Two kinds of check share the registry:
- checks a format's verifier decides while reading the input (`run` None): parse, contexts, structure, claims,
  proof and key binding are what reading a Data Integrity credential or a VC-JWT is (prepare.py and
  verify.py, jwt/verify.py), and their order is the order of that reading;
- checks with a `run` function, which both verifiers call after reading, in registry order, with the same
  `CheckInput`: status, validity period, registered issuer, and every check added later.

Everything a verifier needs per format is computed once, when a registry is built (`CheckPlan`), so a
verification pays for no lookup of the registry beyond its plan attribute.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final

from rexvet_credentials.report import Check, CheckOutcome, Severity

if TYPE_CHECKING:
    from rexvet_credentials.ports import StatusChecker, TrustedIssuerRegistry
    from rexvet_credentials.prepare import Prepared

DATA_INTEGRITY: Final = "data_integrity"
VC_JWT: Final = "vc_jwt"
FORMATS: Final = frozenset({DATA_INTEGRITY, VC_JWT})
PARSE: Final = "parse"


@dataclass(slots=True)
class CheckInput:
    """What a check function is given: the credential as read, the verification's time and ports, and the
    checks decided so far (the format's reading checks and the registered checks before this one)."""

    prepared: Prepared
    credential: Mapping[str, Any]
    now: datetime
    clock_skew: timedelta
    status_checker: StatusChecker | None
    trusted_issuers: TrustedIssuerRegistry | None
    results: dict[str, Check]

    @property
    def issuer_id(self) -> str | None:
        return self.prepared.issuer_id


# A check function returns its Check, or an awaitable of it when it must wait for a port (status, registry).
# Returning the Check directly on a path that waits for nothing spares every verification a coroutine.
CheckFunction = Callable[[CheckInput], Check | Awaitable[Check]]


@dataclass(frozen=True, slots=True)
class VerificationCheck:
    """One check of the report.

    `title` is what the verifier's pages show; `failure` says what a failure of this check means for whoever
    relies on the credential. `severity` WARNING: reported, never decides the outcome. `list_proof`: a failure
    (or a check that could not run) also makes a status list credential unusable when its own proof is checked
    (status_list_proof.py). `run` None: the format's verifier decides the check while reading the input.
    """

    id: str
    title: str
    failure: str
    run: CheckFunction | None = None
    severity: Severity = Severity.ERROR
    formats: frozenset[str] = FORMATS
    list_proof: bool = False


@dataclass(frozen=True, slots=True)
class CheckPlan:
    """The registry as one format's verifier uses it, computed once per registry and format."""

    format: str
    ids: tuple[str, ...]
    # the registered checks with a function, in report order, with the severity their registry entry sets
    runnable: tuple[tuple[str, CheckFunction, Severity], ...]
    # every check after `parse`, not checked because the input could not be parsed
    skipped_after_parse: tuple[Check, ...]
    list_proof_ids: tuple[str, ...]
    _in_order: Callable[[Mapping[str, Check]], tuple[Check, ...]] = field(repr=False)

    def run(self, subject: CheckInput) -> tuple[Check, ...] | Awaitable[tuple[Check, ...]]:
        """Run the registered checks on `subject`: every check of the report, in order, or an awaitable of them
        once a check must wait for a port. Synchronous until then, so that a verification whose checks wait for
        nothing (no status entry, no registry) pays for no coroutine."""
        results = subject.results
        for step in self.runnable:
            answer = step[1](subject)
            if answer.__class__ is Check and answer.severity is step[2]:
                results[step[0]] = answer
            else:
                return self._finish(subject, self.runnable.index(step), answer)
        return self._in_order(results)

    async def _finish(
        self, subject: CheckInput, index: int, answer: Check | Awaitable[Check] | None
    ) -> tuple[Check, ...]:
        """The rest of `run` from the check at `index`, whose answer is awaitable or needs its severity set."""
        results = subject.results
        for check_id, run, severity in self.runnable[index:]:
            if answer is None:
                answer = run(subject)
            check = answer if isinstance(answer, Check) else await answer
            results[check_id] = check if check.severity is severity else _with_severity(check, severity)
            answer = None
        return self._in_order(results)

    def after_parse_failure(self, parse: Check) -> tuple[Check, ...]:
        return (parse, *self.skipped_after_parse)


class CheckRegistry:
    """An ordered, immutable set of verification checks (production: `rexvet_credentials.checks.VERIFICATION_CHECKS`;
    tests build their own instance to add a check)."""

    def __init__(self, checks: Iterable[VerificationCheck]) -> None:
        self.checks: tuple[VerificationCheck, ...] = tuple(checks)
        ids = [c.id for c in self.checks]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"check ids must be unique; registered twice: {', '.join(duplicates)}")
        if not ids or ids[0] != PARSE:
            raise ValueError(f"the first check must be {PARSE!r}: every other check is skipped when it fails")
        unknown = sorted({f for c in self.checks for f in c.formats} - FORMATS)
        if unknown:
            raise ValueError(f"unknown formats {unknown}: a check applies to {sorted(FORMATS)}")
        self.data_integrity = self._plan(DATA_INTEGRITY)
        self.vc_jwt = self._plan(VC_JWT)

    def __iter__(self) -> Iterator[VerificationCheck]:
        return iter(self.checks)

    def __getitem__(self, check_id: str) -> VerificationCheck:
        for check in self.checks:
            if check.id == check_id:
                return check
        raise KeyError(check_id)

    def titles(self) -> dict[str, str]:
        return {c.id: c.title for c in self.checks}

    def _plan(self, fmt: str) -> CheckPlan:
        checks = [c for c in self.checks if fmt in c.formats]
        ids = tuple(c.id for c in checks)
        because = "not checked because the input could not be parsed"
        return CheckPlan(
            format=fmt,
            ids=ids,
            runnable=tuple((c.id, c.run, c.severity) for c in checks if c.run is not None),
            skipped_after_parse=tuple(
                Check(c.id, CheckOutcome.NOT_CHECKED, "skipped", because, c.severity) for c in checks[1:]
            ),
            list_proof_ids=tuple(c.id for c in checks if c.list_proof),
            _in_order=_getter(ids),
        )


def _with_severity(check: Check, severity: Severity) -> Check:
    return Check(check.id, check.outcome, check.code, check.message, severity, check.details, check.params)


def _getter(ids: tuple[str, ...]) -> Callable[[Mapping[str, Check]], tuple[Check, ...]]:
    get = itemgetter(*ids)
    if len(ids) == 1:
        return lambda results: (get(results),)
    return get
