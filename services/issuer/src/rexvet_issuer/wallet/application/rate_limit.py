"""A bounded per-client limiter for the unauthenticated endpoints (token, nonce): N requests per window.

Each client keeps the times of its last N requests (a sliding window); at most `max_clients` clients are
remembered, the least recently seen forgotten first, so a flood of addresses cannot grow the memory. Per process:
with several replicas each allows N, which still bounds guessing of pre-authorized codes and tx_codes.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_clients = max_clients
        self.clock = clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, client: str) -> int | None:
        """None: the request may go on (and is counted); else the seconds to wait before the next one."""
        now = self.clock()
        times = self._seen.pop(client, None) or deque(maxlen=self.limit)
        while times and times[0] <= now - self.window:
            times.popleft()
        self._seen[client] = times  # now the most recently seen
        while len(self._seen) > self.max_clients:
            self._seen.popitem(last=False)
        if len(times) >= self.limit:
            return max(1, math.ceil(times[0] + self.window - now))
        times.append(now)
        return None
