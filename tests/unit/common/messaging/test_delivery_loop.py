"""The shared delivery loop: bounded retries, then one dead letter that keeps the event, its key and the error."""

from __future__ import annotations

import asyncio

import pytest

from rexvet_common.errors import BackendUnavailableError
from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.messaging.delivery import DEAD_LETTER_TYPE, deliver
from rexvet_common.ports.event_bus import Handler, RetryPolicy

pytestmark = pytest.mark.unit

POLICY = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.001, max_backoff_seconds=0.002)


def event() -> CloudEvent:
    return new_event(type="org.rexvet.test.unit.v1", source="rexvet/unit", key="inst:7", data={"n": 1})


class Published:
    def __init__(self, fail: bool = False) -> None:
        self.items: list[tuple[str, CloudEvent]] = []
        self._fail = fail

    async def __call__(self, topic: str, dead: CloudEvent) -> None:
        if self._fail:
            raise ConnectionError("dead-letter topic unreachable")
        self.items.append((topic, dead))


def failing(times: int) -> tuple[list[int], Handler]:
    calls: list[int] = []

    async def handler(_: CloudEvent) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise ValueError(f"boom {len(calls)}")

    return calls, handler


async def test_a_handler_that_succeeds_is_run_once() -> None:
    calls, handler = failing(0)
    published = Published()
    outcome = await deliver(event(), handler, POLICY, topic="t", group="g", publish=published)
    assert (outcome.delivered, outcome.attempts, len(calls), published.items) == (True, 1, 1, [])


async def test_a_handler_is_retried_until_it_succeeds() -> None:
    calls, handler = failing(2)
    published = Published()
    outcome = await deliver(event(), handler, POLICY, topic="t", group="g", publish=published)
    assert outcome.delivered and outcome.attempts == 3 and len(calls) == 3
    assert published.items == []


async def test_after_the_last_attempt_the_event_is_dead_lettered_with_its_key_and_error() -> None:
    calls, handler = failing(99)
    published = Published()
    original = event()
    outcome = await deliver(original, handler, POLICY, topic="rexvet.hr.v1", group="coaching", publish=published)
    assert not outcome.delivered and outcome.attempts == 3 and len(calls) == 3
    [(topic, dead)] = published.items
    assert topic == "rexvet.hr.v1.dlq.coaching"
    assert dead.type == DEAD_LETTER_TYPE and dead.partitionkey == "inst:7" and dead.subject == original.id
    assert dead.data["error"] == "ValueError: boom 3" and dead.data["attempts"] == 3
    assert CloudEvent.model_validate(dead.data["event"]) == original


async def test_when_the_dead_letter_cannot_be_written_the_error_propagates() -> None:
    _, handler = failing(99)
    with pytest.raises(ConnectionError):
        await deliver(event(), handler, POLICY, topic="t", group="g", publish=Published(fail=True))


async def test_cancellation_is_not_retried() -> None:
    calls: list[int] = []

    async def cancelled(_: CloudEvent) -> None:
        calls.append(1)
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await deliver(event(), cancelled, POLICY, topic="t", group="g", publish=Published())
    assert len(calls) == 1


async def test_an_unreachable_backend_is_waited_out_and_never_dead_letters_the_event() -> None:
    # A database restart: every attempt fails for want of the database, far more often than the retry budget.
    calls: list[int] = []

    async def handler(_: CloudEvent) -> None:
        calls.append(1)
        if len(calls) <= 10:
            raise BackendUnavailableError("the database cannot be reached")

    published = Published()
    outcome = await deliver(event(), handler, POLICY, topic="t", group="g", publish=published)
    assert outcome.delivered and len(calls) == 11
    assert published.items == []


async def test_failures_of_the_event_itself_still_dead_letter_it_between_outages() -> None:
    calls: list[int] = []

    async def handler(_: CloudEvent) -> None:
        calls.append(1)
        raise BackendUnavailableError("flapping") if len(calls) % 2 else ValueError("bad event")

    published = Published()
    outcome = await deliver(event(), handler, POLICY, topic="t", group="g", publish=published)
    assert not outcome.delivered and outcome.attempts == POLICY.max_attempts
    [(_, dead)] = published.items
    assert dead.data["error"] == "ValueError: bad event"
