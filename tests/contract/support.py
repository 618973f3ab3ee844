"""Helpers the contract suites share: unique names, quick retry policies, events, waiting for an outcome."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.ports.event_bus import RetryPolicy

TEST_EVENT_TYPE = "org.rexvet.test.contract.happened.v1"
# Quick retries so the suites stay fast; the count is what the tests check.
FAST_RETRY = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.01, max_backoff_seconds=0.02)
WAIT_LIMIT = 30.0  # only a guard against hanging: no test asserts how long anything took


def unique_topic() -> str:
    return f"rexvet.contract{uuid.uuid4().hex[:12]}.v1"


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def make_event(key: str, n: int, **data: Any) -> CloudEvent:
    return new_event(type=TEST_EVENT_TYPE, source="rexvet/contract", key=key, data={"n": n, **data})


async def wait_until(condition: Callable[[], bool], what: str, limit: float = WAIT_LIMIT) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting for: {what}")
        await asyncio.sleep(0.02)


class Recorder:
    """A handler that records what it was given, optionally failing for chosen event ids."""

    def __init__(self, fail_ids: set[str] | None = None, fail_times: int | None = None) -> None:
        self.events: list[CloudEvent] = []
        self.attempts: dict[str, int] = {}
        self._fail_ids = fail_ids or set()
        self._fail_times = fail_times  # None: fail for ever

    async def __call__(self, event: CloudEvent) -> None:
        self.attempts[event.id] = self.attempts.get(event.id, 0) + 1
        if event.id in self._fail_ids and (self._fail_times is None or self.attempts[event.id] <= self._fail_times):
            raise RuntimeError(f"handler refuses event {event.data.get('n')}")
        self.events.append(event)

    def ids(self) -> list[str]:
        return [e.id for e in self.events]
