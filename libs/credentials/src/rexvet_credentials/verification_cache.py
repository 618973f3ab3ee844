"""Where verify_credential keeps prepared credentials, keyed by the exact input bytes: the port and its default.

Re-verifying the same bytes skips parsing, JSON-LD and canonicalisation (and the signature check for a key
already seen) but never the clock, the key lookup, the status or the issuer registry.
One cache serves one document loader and work limit: what was prepared under one is reused as is.
Whoever composes the engine chooses the cache (the verifier service bounds its own by bytes); the engine only
reads and writes through `PreparedCache`.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from rexvet_credentials.prepare import Prepared


class PreparedCache(Protocol):
    """A cache of prepared credentials; it may decline to keep an entry (`get` then answers None)."""

    def get(self, key: bytes | str) -> Prepared | None: ...

    def put(self, key: bytes | str, prepared: Prepared) -> None: ...


class VerificationCache:
    """The default `PreparedCache`: a least-recently-used store of at most `max_entries` entries."""

    def __init__(self, max_entries: int = 1024) -> None:
        self._entries: OrderedDict[bytes | str, Prepared] = OrderedDict()
        self._max = max_entries

    def get(self, key: bytes | str) -> Prepared | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: bytes | str, prepared: Prepared) -> None:
        self._entries[key] = prepared
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
