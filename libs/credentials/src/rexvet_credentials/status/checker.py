"""`StatusChecker` adapters: Bitstring Status List entries, 1EdTechRevocationList, and a dispatcher by type.

A status the verifier could not establish (list unreachable, malformed, its own proof not valid, outside its
validity) is COULD_NOT_CHECK, never ACTIVE: the report then says `incomplete`, not `verified`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rexvet_credentials.errors import FetchError
from rexvet_credentials.ports import Clock, DocumentFetcher, StatusChecker, StatusOutcome, StatusResult
from rexvet_credentials.status.bitstring import Bitstring, StatusListFormatError
from rexvet_credentials.status.list_credential import ENTRY_TYPE, ParsedStatusList, read_list_credential

DEFAULT_TTL = timedelta(minutes=5)
CLOCK_SKEW = timedelta(minutes=5)
LIST_MEDIA_TYPES = "application/vc+ld+json, application/vc, application/ld+json;q=0.9, application/json;q=0.8"


@dataclass(frozen=True, slots=True)
class ListProofVerdict:
    """What the core's verifier says about a list credential's own proof.

    `valid` False with `definite` True: the proof is wrong. `definite` False: it could not be checked (the key's
    did:web unreachable...). Both leave the status unchecked; the code tells them apart in the report.
    """

    valid: bool
    reason: str = ""
    definite: bool = True


ListProofVerifier = Callable[[Mapping[str, Any]], Awaitable[ListProofVerdict]]


def could_not_check(code: str, message: str, **details: Any) -> StatusResult:
    return StatusResult(StatusOutcome.COULD_NOT_CHECK, code, message, details)


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


@dataclass
class _CachedList:
    parsed: ParsedStatusList
    bitstring: Bitstring
    expires_at: datetime


@dataclass
class StatusListCache:
    """Lists whose proof was verified, by URL, until their `ttl` runs out. `drop` serves revocation events."""

    entries: dict[str, _CachedList] = field(default_factory=dict)

    def get(self, url: str, now: datetime) -> _CachedList | None:
        entry = self.entries.get(url)
        if entry is None or entry.expires_at <= now:
            self.entries.pop(url, None)
            return None
        return entry

    def put(self, url: str, entry: _CachedList) -> None:
        self.entries[url] = entry

    def drop(self, url: str) -> None:
        self.entries.pop(url, None)


class BitstringStatusChecker:
    """Checks a `BitstringStatusListEntry` by fetching (guarded), verifying and reading its list credential."""

    def __init__(
        self,
        fetcher: DocumentFetcher,
        verify_list: ListProofVerifier,
        clock: Clock,
        *,
        cache: StatusListCache | None = None,
        default_ttl: timedelta = DEFAULT_TTL,
    ) -> None:
        self._fetcher = fetcher
        self._verify_list = verify_list
        self._clock = clock
        self.cache = cache if cache is not None else StatusListCache()
        self._default_ttl = default_ttl

    async def check(self, credential: Mapping[str, Any], entry: Mapping[str, Any]) -> StatusResult:
        url = entry.get("statusListCredential")
        purpose = entry.get("statusPurpose")
        raw_index = entry.get("statusListIndex")
        raw_size = entry.get("statusSize", 1)
        if not isinstance(url, str) or not isinstance(purpose, str):
            return could_not_check(
                "status_entry_malformed", f"{ENTRY_TYPE} needs statusListCredential and statusPurpose strings"
            )
        index = _non_negative_int(raw_index)
        size = _non_negative_int(raw_size)
        if index is None or size is None or size < 1:
            return could_not_check(
                "status_entry_malformed", f"statusListIndex {raw_index!r} / statusSize {raw_size!r} are not valid"
            )
        details: dict[str, Any] = {"statusListCredential": url, "statusListIndex": index, "statusPurpose": purpose}

        now = self._clock.now()
        cached = self.cache.get(url, now)
        if cached is None:
            loaded = await self._load(url, now, details)
            if isinstance(loaded, StatusResult):
                return loaded
            cached = loaded

        parsed = cached.parsed
        if parsed.valid_until is not None and now > parsed.valid_until + CLOCK_SKEW:
            self.cache.drop(url)
            return could_not_check("status_list_expired", f"the status list {url} expired", **details)
        credential_issuer = _issuer_id(credential)
        if parsed.issuer is not None and credential_issuer is not None and parsed.issuer != credential_issuer:
            return could_not_check(
                "status_list_issuer_mismatch",
                f"the status list {url} was issued by {parsed.issuer}, not by the credential's issuer",
                **details,
            )
        if purpose not in parsed.purposes:
            return could_not_check(
                "status_purpose_mismatch",
                f"the entry's purpose {purpose!r} is not the list's ({', '.join(sorted(parsed.purposes))})",
                **details,
            )
        try:
            value = cached.bitstring.value(index, size)
        except IndexError:
            return could_not_check(
                "status_index_out_of_range",
                f"index {index} is outside the list {url} ({cached.bitstring.length // size} entries)",
                **details,
            )
        details["value"] = value
        if parsed.declared_id is not None:
            details["listDeclaredId"] = parsed.declared_id
        if purpose == "revocation" and value:
            return StatusResult(StatusOutcome.REVOKED, "status_revoked", "the issuer revoked this credential", details)
        if purpose == "suspension" and value:
            return StatusResult(
                StatusOutcome.SUSPENDED, "status_suspended", "the issuer suspended this credential", details
            )
        message = f"{purpose} status {value}" if purpose not in ("revocation", "suspension") else f"not {purpose}"
        return StatusResult(StatusOutcome.ACTIVE, "status_active", message, details)

    async def _load(self, url: str, now: datetime, details: dict[str, Any]) -> _CachedList | StatusResult:
        try:
            fetched = await self._fetcher.fetch(url, accept=LIST_MEDIA_TYPES)
        except FetchError as exc:
            return could_not_check(
                "status_list_unreachable",
                f"the status list could not be fetched: {exc.message}",
                fetch_code=exc.code,
                **details,
            )
        try:
            document = json.loads(fetched.content)
        except (ValueError, UnicodeDecodeError):
            return could_not_check("status_list_malformed", f"{url} did not return JSON", **details)
        if not isinstance(document, dict):
            return could_not_check("status_list_malformed", f"{url} did not return a JSON object", **details)
        verdict = await self._verify_list(document)
        if not verdict.valid:
            code = "status_list_proof_invalid" if verdict.definite else "status_list_proof_unchecked"
            return could_not_check(code, f"the status list's own proof: {verdict.reason}", **details)
        try:
            parsed = read_list_credential(document, url)
            bitstring = Bitstring.decode(parsed.encoded_list)
        except StatusListFormatError as exc:
            return could_not_check(exc.code, f"the status list {url} is not usable: {exc.message}", **details)
        if parsed.valid_from is not None and now + CLOCK_SKEW < parsed.valid_from:
            return could_not_check("status_list_not_yet_valid", f"the status list {url} is not valid yet", **details)
        ttl = parsed.ttl if parsed.ttl is not None else self._default_ttl
        expires_at = now + ttl
        if parsed.valid_until is not None:
            expires_at = min(expires_at, parsed.valid_until)
        entry = _CachedList(parsed=parsed, bitstring=bitstring, expires_at=expires_at)
        self.cache.put(url, entry)
        return entry


def _non_negative_int(value: object) -> int | None:
    # The specification writes statusListIndex as a string of digits; an integer is read as well (the
    # `status_entries` check warns about it).
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit() and value.isascii():
        return int(value)
    return None


class StatusCheckerByType:
    """Routes each `credentialStatus` entry to the checker for its `type`; an unknown type is not checkable."""

    def __init__(self, checkers: Mapping[str, StatusChecker]) -> None:
        self._checkers = dict(checkers)

    async def check(self, credential: Mapping[str, Any], entry: Mapping[str, Any]) -> StatusResult:
        entry_type = entry.get("type")
        types = [entry_type] if isinstance(entry_type, str) else entry_type if isinstance(entry_type, list) else []
        for name in types:
            checker = self._checkers.get(name)
            if checker is not None:
                return await checker.check(credential, entry)
        return could_not_check(
            "status_type_unsupported", f"credentialStatus type {entry_type!r} is not supported", type=entry_type
        )
