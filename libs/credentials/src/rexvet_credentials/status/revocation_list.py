"""The deprecated `1EdTechRevocationList` status method (OB 3.0 up to v1.2; replaced by Bitstring Status List).

The entry's `id` is the URL of a JSON document listing revoked credentials:
`{"id": ..., "issuer": ..., "revokedCredentials": [{"id": "<credential id>", "revoked": true, ...}]}`
(`revoked` omitted means true; `revocationReason` is optional).
Still met in the wild (1EdTech's own `complete.json` uses it), so it is checked, with a note that it is deprecated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rexvet_credentials.errors import FetchError
from rexvet_credentials.ports import DocumentFetcher, StatusOutcome, StatusResult
from rexvet_credentials.status.checker import ListProofVerifier, could_not_check

ENTRY_TYPE = "1EdTechRevocationList"


class RevocationListChecker:
    def __init__(self, fetcher: DocumentFetcher, verify_list: ListProofVerifier | None = None) -> None:
        self._fetcher = fetcher
        # The list format defines no proof; when a list carries one anyway, it is verified.
        self._verify_list = verify_list

    async def check(self, credential: Mapping[str, Any], entry: Mapping[str, Any]) -> StatusResult:
        url = entry.get("id")
        credential_id = credential.get("id")
        details: dict[str, Any] = {"revocationList": url, "deprecated": True}
        if not isinstance(url, str):
            return could_not_check("status_entry_malformed", f"{ENTRY_TYPE} needs an id (the list's URL)")
        if not isinstance(credential_id, str):
            return could_not_check("status_entry_malformed", f"{ENTRY_TYPE} needs the credential's id", **details)
        try:
            fetched = await self._fetcher.fetch(url)
        except FetchError as exc:
            return could_not_check(
                "status_list_unreachable",
                f"the revocation list could not be fetched: {exc.message}",
                fetch_code=exc.code,
                **details,
            )
        try:
            document = json.loads(fetched.content)
        except (ValueError, UnicodeDecodeError):
            return could_not_check("status_list_malformed", f"{url} did not return JSON", **details)
        revoked = document.get("revokedCredentials") if isinstance(document, dict) else None
        if not isinstance(revoked, list):
            return could_not_check("status_list_malformed", f"{url} has no revokedCredentials list", **details)
        if "proof" in document and self._verify_list is not None:
            verdict = await self._verify_list(document)
            if not verdict.valid:
                return could_not_check(
                    "status_list_proof_invalid", f"the revocation list's proof: {verdict.reason}", **details
                )
        for item in revoked:
            item_id = item.get("id") if isinstance(item, Mapping) else item
            # An entry counts unless it says `"revoked": false` (the method lets issuers list reinstated ids).
            reinstated = isinstance(item, Mapping) and item.get("revoked") is False
            if item_id == credential_id and not reinstated:
                reason = item.get("revocationReason") if isinstance(item, Mapping) else None
                if reason:
                    details["revocationReason"] = reason
                return StatusResult(
                    StatusOutcome.REVOKED, "status_revoked", "the issuer revoked this credential", details
                )
        return StatusResult(StatusOutcome.ACTIVE, "status_active", "not on the issuer's revocation list", details)
