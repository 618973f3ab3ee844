"""Keeps the engine's status-list cache free of expired lists.

`StatusListCache` is bounded by bytes (decoded lists, least recently used out first) but drops an expired list only
when that same URL is asked for again, so lists named once by anonymous callers' credentials would hold their share
of the budget until pushed out. A background worker of the service calls `prune` every `PRUNE_SECONDS`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from rexvet_credentials.ports import Clock
from rexvet_credentials.status.checker import StatusListCache

PRUNE_SECONDS = 30.0


def prune(cache: StatusListCache, clock: Clock) -> int:
    """Drop expired lists; the number dropped."""
    now = clock.now()
    before = len(cache.entries)
    for url in list(cache.entries):
        cache.get(url, now)  # drops the entry when it has expired
    return before - len(cache.entries)


def pruning_worker(cache: StatusListCache, clock: Clock) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        while True:
            await asyncio.sleep(PRUNE_SECONDS)
            prune(cache, clock)

    return run
