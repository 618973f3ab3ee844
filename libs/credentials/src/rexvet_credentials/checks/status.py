"""The `status` check: revoked or suspended by the issuer, through the status entries the credential lists."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from typing import Any

from rexvet_credentials.checks.registry import CheckInput, VerificationCheck
from rexvet_credentials.ports import MAX_STATUS_ENTRIES, StatusChecker, StatusOutcome
from rexvet_credentials.report import Check, failed, not_checked, passed

STATUS = "status"
_NO_STATUS = passed(STATUS, "no_status", "the credential has no credentialStatus: nothing to revoke")


async def check_status(credential: Mapping[str, Any], checker: StatusChecker | None) -> Check:
    entries = credential.get("credentialStatus")
    if entries is None:
        return _NO_STATUS
    items = entries if isinstance(entries, list) else [entries]
    if not all(isinstance(e, Mapping) for e in items):
        return failed(STATUS, "status_malformed", "credentialStatus must be an object or a list of objects")
    if checker is None:
        return not_checked(
            STATUS, "status_checker_unavailable", "the credential has a status entry but no status checker was given"
        )
    limit = getattr(checker, "max_entries", MAX_STATUS_ENTRIES)
    if len(items) > limit:
        return failed(
            STATUS,
            "status_too_many_entries",
            f"the credential has {len(items)} credentialStatus entries; at most {limit} are checked",
            entries=len(items),
            limit=limit,
        )
    # Concurrently: the entries' lists are fetched side by side, under whatever deadline the caller's fetcher keeps.
    results = await asyncio.gather(*(checker.check(credential, entry) for entry in items))
    for outcome in (StatusOutcome.REVOKED, StatusOutcome.SUSPENDED):
        for result in results:
            if result.outcome is outcome:
                return failed(STATUS, result.code, result.message, **dict(result.details))
    for result in results:
        if result.outcome is StatusOutcome.COULD_NOT_CHECK:
            return not_checked(STATUS, result.code, result.message, **dict(result.details))
    # the entries' details are kept for the checks after this one (`status_entries` reads the lists' own ids)
    return passed(
        STATUS, results[0].code, "; ".join(r.message for r in results), entries=[dict(r.details) for r in results]
    )


def _run(subject: CheckInput) -> Check | Awaitable[Check]:
    if "credentialStatus" not in subject.credential:
        return _NO_STATUS  # most credentials: no coroutine, no await
    return check_status(subject.credential, subject.status_checker)


STATUS_CHECK = VerificationCheck(
    id=STATUS,
    title="Not revoked or suspended",
    failure="the issuer has revoked or suspended the credential (or its status entry is malformed)",
    run=_run,
)
