"""Keeps the engine's status-list cache small: expired lists out, and at most `max_lists` kept.

`StatusListCache` drops an expired list only when that same URL is asked for again, so lists named once by
anonymous callers' credentials would stay for the life of the process. Each list holds at least 16 KiB of
bitstring (131,072 entries). A background worker of the service calls `prune` every `PRUNE_SECONDS`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from rexvet_credentials.ports import Clock
from rexvet_credentials.status.checker import StatusListCache

PRUNE_SECONDS = 30.0
DEFAULT_MAX_LISTS = 2_000  # about 32 MiB of bitstrings at the minimum list size


def prune(cache: StatusListCache, clock: Clock, max_lists: int = DEFAULT_MAX_LISTS) -> int:
    """Drop expired lists, then the soonest-expiring ones beyond `max_lists`; the number dropped."""
    now = clock.now()
    before = len(cache.entries)
    for url in list(cache.entries):
        cache.get(url, now)  # drops the entry when it has expired
    excess = len(cache.entries) - max_lists
    if excess > 0:
        by_expiry = sorted(cache.entries, key=lambda url: cache.entries[url].expires_at)
        for url in by_expiry[:excess]:
            cache.drop(url)
    return before - len(cache.entries)


def pruning_worker(cache: StatusListCache, clock: Clock) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        while True:
            await asyncio.sleep(PRUNE_SECONDS)
            prune(cache, clock)

    return run
