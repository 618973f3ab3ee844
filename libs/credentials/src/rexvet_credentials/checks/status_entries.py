"""The `status_entries` check: status entries and lists written otherwise than the Bitstring Status List
specification says, which the `status` check still reads (a warning, never a failure):
- `statusListIndex` as a JSON number instead of the specified string of digits (`status_list_index_number`);
- a list whose own id is not the URL the entry points to (`status_list_id_mismatch`): its bit is read, and a
  revoked or suspended bit still fails `status`; a clear bit is reported with this warning.
"""

from __future__ import annotations

from collections.abc import Mapping

from rexvet_credentials.checks.registry import CheckInput, VerificationCheck
from rexvet_credentials.report import Check, CheckOutcome, Severity

STATUS_ENTRIES = "status_entries"
_AS_SPECIFIED = Check(
    STATUS_ENTRIES, CheckOutcome.PASSED, "status_entries_as_specified", "status entries as specified", Severity.WARNING
)
_NO_ENTRIES = Check(
    STATUS_ENTRIES, CheckOutcome.PASSED, "no_status", "the credential has no credentialStatus", Severity.WARNING
)


def _run(subject: CheckInput) -> Check:
    entries = subject.credential.get("credentialStatus")
    if entries is None:
        return _NO_ENTRIES
    items = [e for e in (entries if isinstance(entries, list) else [entries]) if isinstance(e, Mapping)]
    numbers = [e["statusListIndex"] for e in items if _is_integer(e.get("statusListIndex"))]
    if numbers:
        return Check(
            STATUS_ENTRIES,
            CheckOutcome.FAILED,
            "status_list_index_number",
            f"statusListIndex is the JSON number {numbers[0]}; the specification writes it as a string of digits "
            f'("{numbers[0]}"). It was read as that index.',
            Severity.WARNING,
            params={"number": str(numbers[0])},
        )
    status = subject.results.get("status")
    listed = status.details.get("entries") if status is not None else None
    read = list(listed) if isinstance(listed, list) else []  # a count when the entries were refused unread
    if status is not None and not read and status.details:
        read = [dict(status.details)]
    for entry in read:
        declared = entry.get("listDeclaredId") if isinstance(entry, Mapping) else None
        if declared is not None:
            return Check(
                STATUS_ENTRIES,
                CheckOutcome.FAILED,
                "status_list_id_mismatch",
                f"the status list at {entry.get('statusListCredential')} says it is {declared!r}: its bit was read, "
                "but the list does not claim to be the one the credential points to",
                Severity.WARNING,
                {"statusListCredential": entry.get("statusListCredential"), "listId": declared},
                {"list": str(entry.get("statusListCredential")), "declared": str(declared)},
            )
    return _AS_SPECIFIED


STATUS_ENTRIES_CHECK = VerificationCheck(
    id=STATUS_ENTRIES,
    title="Status entries as specified",
    failure="a status entry or list is written otherwise than the Bitstring Status List specification says: it "
    "was read, but other verifiers may read it differently",
    run=_run,
    severity=Severity.WARNING,
)


def _is_integer(value: object) -> bool:
    # a JSON number the status checker reads as an index; any other value is the `status` check's to refuse
    return isinstance(value, int) and not isinstance(value, bool)
