"""Admission by event-loop lag: how many verifications run at once follows how late the event loop is.

Why: a verifier flooded from many addresses at once (bench/abuse: 59 anonymous clients beside 4 legitimate ones,
each under its own rate limit) is CPU-bound, and every request in progress adds its step to every turn of the
event loop; `/healthz` and each answer then wait for all of them (`/healthz` p99 150-600 ms under that mix). A
fixed cap does not do: it is held by requests that only wait on the network (a slow status-list server keeps its
verification for the whole deadline), and with 6 slots the legitimate verifications fell from 81 to 1.2 a second.
So the cap adapts. While the loop runs later than `target_lag` it shrinks by a quarter (not below `minimum`); while
the loop is on time and requests wait, it grows by one (not above `maximum`). It starts at `maximum`: a verifier
that is not overloaded never holds a request back. Requests beyond the cap wait in order of arrival, holding only
their connection (their body is not read yet); one that waits longer than `max_wait` is refused (`AdmissionTimeout`:
503 with Retry-After at the edge) rather than kept, and so is one that finds `max_waiting` others waiting already
(each holds a connection and what the server has buffered of its body: the queue is bounded too).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

SHRINK = 0.75


class AdmissionTimeout(Exception):
    """A request waited `max_wait` seconds for its turn."""


@dataclass
class LagControl:
    """The cap's arithmetic, apart from asyncio so that it can be tested by itself."""

    target_lag: float
    minimum: int
    maximum: int
    limit: float = 0.0

    def __post_init__(self) -> None:
        if not 1 <= self.minimum <= self.maximum:
            raise ValueError("admission needs 1 <= minimum <= maximum")
        self.limit = float(self.maximum)

    def observe(self, lag: float, *, waiting: bool) -> None:
        if lag > self.target_lag:
            self.limit = max(float(self.minimum), self.limit * SHRINK)
        elif waiting:
            self.limit = min(float(self.maximum), self.limit + 1)

    @property
    def slots(self) -> int:
        return int(self.limit)


class LagAdmission:
    """`async with admission.turn():` around a request's work; `start()`/`stop()` run the lag watch (a component).

    Without the watch running the cap stays where it is (at `maximum` from the start): nothing is held back.
    """

    def __init__(
        self, control: LagControl, *, max_wait: float = 10.0, max_waiting: int = 1000, interval: float = 0.01
    ) -> None:
        self.control = control
        self.max_wait = max_wait
        self.max_waiting = max_waiting
        self.interval = interval
        self.running = 0
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._watch: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        return sum(1 for future in self._waiting if not future.done())

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        await self._admit()
        try:
            yield
        finally:
            self._release()

    async def _admit(self) -> None:
        if self.running < self.control.slots and not self._waiting:
            self.running += 1
            return
        if len(self._waiting) >= self.max_waiting and self.waiting >= self.max_waiting:
            raise AdmissionTimeout(f"{self.max_waiting} requests are waiting already")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        try:
            await asyncio.wait_for(future, self.max_wait)  # done: the slot was handed over (see _wake)
        except TimeoutError as exc:
            raise AdmissionTimeout(f"no turn within {self.max_wait:g} s") from exc
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()  # handed a slot as the caller went away: pass it on
            raise

    def _release(self) -> None:
        self.running -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiting and self.running < self.control.slots:
            future = self._waiting.popleft()
            if future.done():  # timed out or cancelled while waiting
                continue
            self.running += 1
            future.set_result(None)

    async def start(self) -> None:
        if self._watch is None:
            self._watch = asyncio.get_running_loop().create_task(self._watch_lag(), name="admission-lag-watch")

    async def stop(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch

    async def _watch_lag(self) -> None:
        # How late a sleep of `interval` wakes up is how long one turn of the loop takes now.
        while True:
            started = time.monotonic()
            await asyncio.sleep(self.interval)
            lag = time.monotonic() - started - self.interval
            self.control.observe(lag, waiting=bool(self._waiting))
            self._wake()
