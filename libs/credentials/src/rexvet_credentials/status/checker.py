"""`StatusChecker` adapters: Bitstring Status List entries, 1EdTechRevocationList, and a dispatcher by type.

A status the verifier could not establish (list unreachable, malformed, its own proof not valid, outside its
validity) is COULD_NOT_CHECK, never ACTIVE: the report then says `incomplete`, not `verified`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from rexvet_credentials.errors import DEADLINE_CODE, FetchError
from rexvet_credentials.ports import (
    MAX_STATUS_ENTRIES,
    Clock,
    DocumentFetcher,
    StatusChecker,
    StatusOutcome,
    StatusResult,
)
from rexvet_credentials.status.bitstring import MAX_DECODED_BYTES, Bitstring, StatusListFormatError
from rexvet_credentials.status.list_credential import ENTRY_TYPE, ParsedStatusList, read_list_credential

DEFAULT_TTL = timedelta(minutes=5)
# A list's own `ttl` is the issuer's wish; whoever wrote the list chooses it, so it never keeps a list longer than this.
DEFAULT_MAX_TTL = timedelta(minutes=15)
# Decoded bitstrings kept in all: whoever names a list chooses its size (16 KiB is the smallest list allowed).
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024
CLOCK_SKEW = timedelta(minutes=5)
# Lists are inflated one at a time, off the event loop, on one thread of their own: zlib lets go of the GIL while it
# works, so inflating in asyncio's default pool (up to cores + 4 threads) let concurrent requests naming large lists
# take every core and starve the event loop (bench/abuse: 24 lists of 16 MiB at once). One thread bounds that work
# to one core whatever the callers send; a checker may be given another executor. The thread also runs at a lower
# priority than the rest of the process (on Linux a thread has a nice value of its own): on a busy machine that one
# core goes to the event loop first.
INFLATER_NICENESS = 10


def _lower_this_threads_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # no setpriority (Windows), or not allowed
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, os.nice(0) + INFLATER_NICENESS))


_INFLATER = ThreadPoolExecutor(
    max_workers=1, thread_name_prefix="status-list-inflate", initializer=_lower_this_threads_priority
)
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

    @property
    def weight(self) -> int:
        """What keeping it costs: the decoded bitstring (the parsed credential around it is small and bounded)."""
        return self.bitstring.length // 8 + len(self.parsed.encoded_list)


class StatusListCache:
    """Lists whose proof was verified and whose issuer is the credential's, by URL, until their `ttl` runs out.

    Bounded by bytes, not by count: at most `max_bytes` of decoded lists in all, the least recently used out first
    (a count would let anyone who names lists of 16 MiB each hold gigabytes). A list heavier than the whole budget
    is used for the verification at hand and not kept. `drop` serves revocation events.
    """

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, _CachedList] = OrderedDict()
        self._bytes = 0

    @property
    def bytes(self) -> int:
        """The weight of what is kept now (decoded bytes)."""
        return self._bytes

    def get(self, url: str, now: datetime) -> _CachedList | None:
        entry = self.entries.get(url)
        if entry is None:
            return None
        if entry.expires_at <= now:
            self.drop(url)
            return None
        self.entries.move_to_end(url)
        return entry

    def put(self, url: str, entry: _CachedList) -> bool:
        """Keep `entry`; False when it alone outweighs the budget (then nothing is kept for `url`)."""
        self.drop(url)
        if entry.weight > self.max_bytes:
            return False
        self.entries[url] = entry
        self._bytes += entry.weight
        while self._bytes > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self._bytes -= evicted.weight
        return True

    def drop(self, url: str) -> None:
        entry = self.entries.pop(url, None)
        if entry is not None:
            self._bytes -= entry.weight


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
        max_ttl: timedelta = DEFAULT_MAX_TTL,
        max_list_bytes: int = MAX_DECODED_BYTES,
        inflater: Executor = _INFLATER,
    ) -> None:
        """`max_ttl` caps a list's own `ttl`; `max_list_bytes` is the largest decoded list used at all; `inflater`
        runs the inflating of lists (one thread shared by the process's checkers by default)."""
        self._fetcher = fetcher
        self._verify_list = verify_list
        self._clock = clock
        self.cache = cache if cache is not None else StatusListCache()
        self._default_ttl = min(default_ttl, max_ttl)
        self._max_ttl = max_ttl
        self._max_list_bytes = max_list_bytes
        self._inflater = inflater

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
        credential_issuer = _issuer_id(credential)
        cached = self.cache.get(url, now)
        if cached is None:
            loaded = await self._load(url, now, details, credential_issuer)
            if isinstance(loaded, StatusResult):
                return loaded
            cached = loaded

        parsed = cached.parsed
        if parsed.valid_until is not None and now > parsed.valid_until + CLOCK_SKEW:
            self.cache.drop(url)
            return could_not_check("status_list_expired", f"the status list {url} expired", **details)
        if parsed.issuer != credential_issuer:
            return _issuer_mismatch(url, parsed.issuer, details)
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

    async def _load(
        self, url: str, now: datetime, details: dict[str, Any], credential_issuer: str | None
    ) -> _CachedList | StatusResult:
        try:
            fetched = await self._fetcher.fetch(url, accept=LIST_MEDIA_TYPES)
        except FetchError as exc:
            return could_not_check(
                "status_deadline_exceeded" if exc.code == DEADLINE_CODE else "status_list_unreachable",
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
        list_issuer = _issuer_id(document)
        if list_issuer != credential_issuer:
            # Before its proof is checked or anything kept: a list of another issuer says nothing about this
            # credential, and keeping it would let anyone fill the cache with lists they signed themselves.
            return _issuer_mismatch(url, list_issuer, details)
        verdict = await self._verify_list(document)
        if not verdict.valid:
            code = "status_list_proof_invalid" if verdict.definite else "status_list_proof_unchecked"
            return could_not_check(code, f"the status list's own proof: {verdict.reason}", **details)
        try:
            parsed = read_list_credential(document, url)
        except StatusListFormatError as exc:
            return could_not_check(exc.code, f"the status list {url} is not usable: {exc.message}", **details)
        try:
            # Off the event loop: inflating megabytes takes milliseconds (see _INFLATER for why one thread).
            bitstring = await asyncio.get_running_loop().run_in_executor(
                self._inflater, partial(Bitstring.decode, parsed.encoded_list, max_bytes=self._max_list_bytes)
            )
        except StatusListFormatError as exc:
            return could_not_check(exc.code, f"the status list {url} is not usable: {exc.message}", **details)
        if parsed.valid_from is not None and now + CLOCK_SKEW < parsed.valid_from:
            return could_not_check("status_list_not_yet_valid", f"the status list {url} is not valid yet", **details)
        ttl = min(parsed.ttl, self._max_ttl) if parsed.ttl is not None else self._default_ttl
        expires_at = now + ttl
        if parsed.valid_until is not None:
            expires_at = min(expires_at, parsed.valid_until)
        entry = _CachedList(parsed=parsed, bitstring=bitstring, expires_at=expires_at)
        self.cache.put(url, entry)
        return entry


def _issuer_mismatch(url: str, list_issuer: str | None, details: dict[str, Any]) -> StatusResult:
    return could_not_check(
        "status_list_issuer_mismatch",
        f"the status list {url} was issued by {list_issuer or 'no one it names'}, not by the credential's issuer",
        **details,
    )


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

    def __init__(self, checkers: Mapping[str, StatusChecker], *, max_entries: int = MAX_STATUS_ENTRIES) -> None:
        self._checkers = dict(checkers)
        self.max_entries = max_entries  # read by the `status` check

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
