"""Suspension of rexvet's badges, as rexvet's own verifier sees it.

OB 3.0 allows a credential one `credentialStatus` (0..1), so rexvet's badges carry one entry, for revocation,
which every verifier checks. Each revocation list has a suspension list beside it, at the same path ending in
`/suspension` and with the same indexes (services/issuer/README.md, "Suspension"), signed by the same issuer.
`SuspensionSiblingChecker` checks it too for an entry that points at such a revocation list, so a suspended badge
is `failed` (`status_suspended`) on the platform's verifier and its public page.

The sibling is judged like any list: fetched through the guarded fetcher, its own proof verified, its issuer the
credential's, its purpose `suspension`. A sibling that cannot be read leaves the status unchecked (`incomplete`),
never `verified`: a credential of this layout whose suspension is unknown is not reported as good.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rexvet_credentials.ports import MAX_STATUS_ENTRIES, StatusChecker, StatusOutcome, StatusResult

# .../v1/issuers/<institution>/status-lists/<n>/revocation (did:web lists) or .../status/<n>/revocation (Profile)
_REVOCATION_LIST = re.compile(r"^(https?://[^?#]+/v1/issuers/[^/?#]+/(?:status-lists|status)/\d+/)revocation$")


def suspension_sibling(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """The suspension entry beside a rexvet revocation entry; None for any other entry."""
    url = entry.get("statusListCredential")
    if entry.get("statusPurpose") != "revocation" or not isinstance(url, str):
        return None
    found = _REVOCATION_LIST.match(url)
    if found is None:
        return None
    sibling_url = found.group(1) + "suspension"
    return {
        "id": f"{sibling_url}#{entry.get('statusListIndex')}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": entry.get("statusListIndex"),
        "statusListCredential": sibling_url,
    }


class SuspensionSiblingChecker:
    """A StatusChecker that also reads the suspension list beside a rexvet revocation list."""

    def __init__(self, inner: StatusChecker) -> None:
        self._inner = inner

    @property
    def max_entries(self) -> int:
        """The wrapped checker's limit on entries per credential, which the `status` check reads."""
        return int(getattr(self._inner, "max_entries", MAX_STATUS_ENTRIES))

    async def check(self, credential: Mapping[str, Any], entry: Mapping[str, Any]) -> StatusResult:
        result = await self._inner.check(credential, entry)
        sibling = suspension_sibling(entry)
        if sibling is None or result.outcome is not StatusOutcome.ACTIVE or _lists(credential, sibling):
            return result  # revoked or unknown says it all; a credential listing the sibling itself checks it
        suspension = await self._inner.check(credential, sibling)
        details = {**result.details, "suspensionList": sibling["statusListCredential"]}
        if suspension.outcome is StatusOutcome.ACTIVE:
            return StatusResult(StatusOutcome.ACTIVE, result.code, f"{result.message}, not suspended", details)
        if suspension.outcome is StatusOutcome.SUSPENDED:
            return StatusResult(
                StatusOutcome.SUSPENDED,
                "status_suspended",
                "the issuer suspended this credential (its suspension list, beside the revocation list)",
                {**details, **suspension.details},
            )
        return StatusResult(
            StatusOutcome.COULD_NOT_CHECK,
            suspension.code,
            f"the suspension list beside the revocation list: {suspension.message}",
            {**details, **suspension.details},
        )


def _lists(credential: Mapping[str, Any], sibling: Mapping[str, Any]) -> bool:
    entries = credential.get("credentialStatus")
    items = entries if isinstance(entries, list) else [entries]
    return any(
        isinstance(e, Mapping) and e.get("statusListCredential") == sibling["statusListCredential"] for e in items
    )
