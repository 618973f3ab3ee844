"""The verification cache bounded by bytes, not only by entries: anonymous callers choose what fills it.

A prepared credential retains about 7-8 times its input in memory (measured with tracemalloc: 72 KB of JSON keeps
531 KB). The engine's `VerificationCache` counts entries only, so 1,024 entries of a few hundred KB each would hold
gigabytes. This one keeps inputs up to `max_entry_bytes` and at most `max_total_bytes` of input in all, least
recently used out first; a larger input is verified without being remembered.

It is a `PreparedCache` of its own (the engine's port), not a `VerificationCache` with the count bound turned
off: the two bounds evict differently, and the bootstrap hands this one to the `CredentialVerifier`.
"""

from __future__ import annotations

from collections import OrderedDict

from rexvet_credentials.prepare import Prepared

DEFAULT_MAX_ENTRY_BYTES = 64 * 1024
DEFAULT_MAX_TOTAL_BYTES = 8 * 1024 * 1024  # of input: about 70 MB retained at the measured ratio


class ByteBoundedCache:
    def __init__(
        self, *, max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES, max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES
    ) -> None:
        self._kept: OrderedDict[bytes | str, Prepared] = OrderedDict()
        self._max_entry = max_entry_bytes
        self._max_total = max_total_bytes
        self._total = 0

    def get(self, key: bytes | str) -> Prepared | None:
        entry = self._kept.get(key)
        if entry is not None:
            self._kept.move_to_end(key)
        return entry

    def put(self, key: bytes | str, prepared: Prepared) -> None:
        size = len(key)
        if size > self._max_entry or key in self._kept:
            return
        self._kept[key] = prepared
        self._total += size
        while self._total > self._max_total:
            evicted, _ = self._kept.popitem(last=False)
            self._total -= len(evicted)

    @property
    def input_bytes(self) -> int:
        return self._total

    def __len__(self) -> int:
        return len(self._kept)
