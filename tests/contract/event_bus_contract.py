"""The event bus contract (ports/event_bus.py). An adapter's module subclasses `EventBusContract` and overrides
`make_bus`: a factory of new, unstarted buses that all reach the same durable backend (a second call is "the same
service after a restart"). Set `reports_lag = False` if the backend cannot tell a group's lag.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import ClassVar

import pytest

from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.events.topics import dead_letter_topic
from rexvet_common.ports.event_bus import EventBus

from .support import FAST_RETRY, TEST_EVENT_TYPE, Recorder, make_event, unique_name, unique_topic, wait_until

BusFactory = Callable[[], EventBus]


class EventBusContract:
    reports_lag: ClassVar[bool] = True

    @pytest.fixture
    def make_bus(self) -> BusFactory:
        raise NotImplementedError("the adapter's test module overrides the make_bus fixture")

    @pytest.fixture
    async def open_bus(self, make_bus: BusFactory) -> AsyncIterator[BusFactory]:
        """Like make_bus, and every bus made is closed after the test (closing twice must be harmless)."""
        made: list[EventBus] = []

        def factory() -> EventBus:
            made.append(make_bus())
            return made[-1]

        yield factory
        for bus in made:
            await bus.close()

    @pytest.fixture
    def topic(self) -> str:
        return unique_topic()

    @pytest.fixture
    def group(self) -> str:
        return unique_name("group")

    async def test_a_consumer_receives_the_event_as_published(
        self, open_bus: BusFactory, topic: str, group: str
    ) -> None:
        bus, received = open_bus(), Recorder()
        bus.subscribe([topic], group, received, retry=FAST_RETRY)
        await bus.start()
        event = new_event(
            type=TEST_EVENT_TYPE,
            source="rexvet/contract",
            key="inst-1:staff-9",
            subject="evidence/42",
            traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            data={"n": 1, "nested": {"list": [1, "two", None]}},
        )
        await bus.publish(topic, event)
        await wait_until(lambda: len(received.events) == 1, "the event to arrive")
        assert received.events[0] == event

    async def test_events_with_the_same_key_arrive_in_order(self, open_bus: BusFactory, topic: str, group: str) -> None:
        bus, received = open_bus(), Recorder()
        bus.subscribe([topic], group, received, retry=FAST_RETRY)
        await bus.start()
        keys = [f"inst:{i}" for i in range(4)]
        for n in range(40):
            await bus.publish(topic, make_event(keys[n % 4], n))
        await wait_until(lambda: len(received.events) == 40, "40 events")
        for key in keys:
            seen = [e.data["n"] for e in received.events if e.partitionkey == key]
            assert seen == sorted(seen) and len(seen) == 10

    async def test_a_failing_handler_gets_the_event_again_until_it_succeeds(
        self, open_bus: BusFactory, topic: str, group: str
    ) -> None:
        bus = open_bus()
        flaky = make_event("inst:1", 1)
        received = Recorder(fail_ids={flaky.id}, fail_times=FAST_RETRY.max_attempts - 1)
        bus.subscribe([topic], group, received, retry=FAST_RETRY)
        await bus.start()
        await bus.publish(topic, flaky)
        await bus.publish(topic, make_event("inst:1", 2))
        await wait_until(lambda: len(received.events) == 2, "both events handled")
        assert received.attempts[flaky.id] == FAST_RETRY.max_attempts
        assert [e.data["n"] for e in received.events] == [1, 2]

    async def test_an_event_unfinished_at_close_is_delivered_again_after_restart(
        self, open_bus: BusFactory, topic: str, group: str
    ) -> None:
        started = asyncio.Event()

        async def hangs(event: CloudEvent) -> None:
            started.set()
            await asyncio.sleep(3600)

        first = open_bus()
        first.subscribe([topic], group, hangs, retry=FAST_RETRY)
        await first.start()
        event = make_event("inst:1", 1)
        await first.publish(topic, event)
        await asyncio.wait_for(started.wait(), timeout=30)
        await first.close()

        second, received = open_bus(), Recorder()
        second.subscribe([topic], group, received, retry=FAST_RETRY)
        await second.start()
        await wait_until(lambda: len(received.events) == 1, "the unacknowledged event again")
        assert received.ids() == [event.id]

    async def test_consumer_groups_are_independent(self, open_bus: BusFactory, topic: str) -> None:
        bus = open_bus()
        events = [make_event(f"inst:{n}", n) for n in range(5)]
        picky, relaxed = Recorder(fail_ids={events[2].id}), Recorder()
        dead = Recorder()
        group_a, group_b = unique_name("a"), unique_name("b")
        bus.subscribe([topic], group_a, picky, retry=FAST_RETRY)
        bus.subscribe([topic], group_b, relaxed, retry=FAST_RETRY)
        bus.subscribe([dead_letter_topic(topic, group_a)], unique_name("dlq"), dead, retry=FAST_RETRY)
        await bus.start()
        for event in events:
            await bus.publish(topic, event)
        await wait_until(lambda: len(relaxed.events) == 5 and len(picky.events) == 4, "both groups done")
        await wait_until(lambda: len(dead.events) == 1, "group a's dead letter")
        assert sorted(relaxed.ids()) == sorted(e.id for e in events)
        assert relaxed.attempts[events[2].id] == 1
        assert dead.events[0].data["event"]["id"] == events[2].id

    async def test_a_group_resumes_after_a_restart_and_the_log_keeps_its_events(
        self, open_bus: BusFactory, topic: str, group: str
    ) -> None:
        first, before = open_bus(), Recorder()
        first.subscribe([topic], group, before, retry=FAST_RETRY)
        await first.start()
        old = [make_event(f"inst:{n % 3}", n) for n in range(6)]
        for event in old:
            await first.publish(topic, event)
        await wait_until(lambda: len(before.events) == 6, "the first six")
        await first.close()

        publisher = open_bus()
        await publisher.start()
        new = [make_event(f"inst:{n % 3}", n) for n in range(6, 10)]
        for event in new:
            await publisher.publish(topic, event)
        await publisher.close()

        second, after, newcomer = open_bus(), Recorder(), Recorder()
        second.subscribe([topic], group, after, retry=FAST_RETRY)
        second.subscribe([topic], unique_name("newcomer"), newcomer, retry=FAST_RETRY)
        await second.start()
        await wait_until(lambda: len(after.events) == 4 and len(newcomer.events) == 10, "resumed and replayed")
        assert sorted(after.ids()) == sorted(e.id for e in new)  # nothing acknowledged comes again
        assert sorted(newcomer.ids()) == sorted(e.id for e in old + new)  # a new group starts at the beginning

    async def test_a_poison_event_is_dead_lettered_and_its_partition_moves_on(
        self, open_bus: BusFactory, topic: str, group: str
    ) -> None:
        key = "inst-7:staff-3"
        good_before, poison, good_after = make_event(key, 1), make_event(key, 2), make_event(key, 3)
        bus, received, dead = open_bus(), Recorder(fail_ids={poison.id}), Recorder()
        bus.subscribe([topic], group, received, retry=FAST_RETRY)
        bus.subscribe([dead_letter_topic(topic, group)], unique_name("operator"), dead, retry=FAST_RETRY)
        await bus.start()
        for event in (good_before, poison, good_after):
            await bus.publish(topic, event)
        await wait_until(lambda: len(received.events) == 2 and len(dead.events) == 1, "later event and dead letter")
        assert received.ids() == [good_before.id, good_after.id]
        assert received.attempts[poison.id] == FAST_RETRY.max_attempts
        letter = dead.events[0]
        assert letter.partitionkey == key
        assert letter.data["topic"] == topic and letter.data["group"] == group
        assert letter.data["attempts"] == FAST_RETRY.max_attempts
        assert "handler refuses event 2" in letter.data["error"]
        assert CloudEvent.model_validate(letter.data["event"]) == poison

    async def test_two_instances_of_a_group_do_not_both_consume_an_event(
        self, open_bus: BusFactory, topic: str
    ) -> None:
        group = unique_name("shared")
        seen: list[CloudEvent] = []

        async def handler(event: CloudEvent) -> None:
            seen.append(event)

        one, two = open_bus(), open_bus()
        for bus in (one, two):
            bus.subscribe([topic], group, handler, retry=FAST_RETRY)
            await bus.start()
        events = [make_event(f"inst:{n % 6}", n) for n in range(30)]
        for event in events:
            await one.publish(topic, event)
        await wait_until(lambda: len({e.id for e in seen}) == 30, "all thirty events")
        assert len(seen) == 30
        for key in {e.partitionkey for e in events}:
            order = [e.data["n"] for e in seen if e.partitionkey == key]
            assert order == sorted(order)

    async def test_consumer_lag_counts_what_the_group_has_not_acknowledged(
        self, open_bus: BusFactory, topic: str, group: str
    ) -> None:
        if not self.reports_lag:
            pytest.skip("this backend does not report consumer lag")
        first, received = open_bus(), Recorder()
        first.subscribe([topic], group, received, retry=FAST_RETRY)
        await first.start()
        for n in range(2):
            await first.publish(topic, make_event("inst:1", n))
        await wait_until(lambda: len(received.events) == 2, "two events handled")
        await first.close()

        second = open_bus()
        await second.start()
        for n in range(3):
            await second.publish(topic, make_event(f"inst:{n}", n))
        lag = await second.consumer_lag(group)
        assert lag[topic] == 3

    async def test_ping_answers_when_the_backend_is_up(self, open_bus: BusFactory) -> None:
        bus = open_bus()
        await bus.start()
        await bus.ping()

    async def test_a_broadcast_reaches_every_instance_and_a_group_still_gets_each_event_once(
        self, open_bus: BusFactory, topic: str
    ) -> None:
        group = unique_name("shared")
        grouped: list[CloudEvent] = []

        async def in_group(event: CloudEvent) -> None:
            grouped.append(event)

        broadcasts = [Recorder(), Recorder()]
        instances = [open_bus(), open_bus()]
        for bus, received in zip(instances, broadcasts, strict=True):
            bus.subscribe([topic], group, in_group, retry=FAST_RETRY)
            bus.subscribe_broadcast([topic], "caches", received, retry=FAST_RETRY)
            await bus.start()
        events = [make_event(f"inst:{n % 3}", n) for n in range(12)]
        for n, event in enumerate(events):
            await instances[n % 2].publish(topic, event)
        await wait_until(lambda: all(len(r.events) == 12 for r in broadcasts), "every event on both instances")
        await wait_until(lambda: len({e.id for e in grouped}) == 12, "the group's twelve")
        for received in broadcasts:
            assert sorted(received.ids()) == sorted(e.id for e in events)
            for key in {e.partitionkey for e in events}:
                order = [e.data["n"] for e in received.events if e.partitionkey == key]
                assert order == sorted(order)
        assert len(grouped) == 12  # the group, on two instances, still handled each event once

    async def test_a_broadcast_starts_at_the_end_and_keeps_no_offsets(self, open_bus: BusFactory, topic: str) -> None:
        publisher = open_bus()
        await publisher.start()
        before = make_event("inst:1", 1)
        await publisher.publish(topic, before)

        first, seen_first = open_bus(), Recorder()
        first.subscribe_broadcast([topic], "caches", seen_first, retry=FAST_RETRY)
        await first.start()
        during = make_event("inst:1", 2)
        await publisher.publish(topic, during)
        await wait_until(lambda: len(seen_first.events) == 1, "the event published after start")
        await first.close()

        again, seen_again = open_bus(), Recorder()  # the same instance restarted: from the end again
        again.subscribe_broadcast([topic], "caches", seen_again, retry=FAST_RETRY)
        await again.start()
        after = make_event("inst:1", 3)
        await publisher.publish(topic, after)
        await wait_until(lambda: len(seen_again.events) == 1, "the event published after the restart")
        await asyncio.sleep(0.5)  # room for an older event to show up wrongly
        assert seen_first.ids() == [during.id]
        assert seen_again.ids() == [after.id]
