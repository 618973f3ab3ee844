"""The reliable-messaging contract: transactional outbox and idempotent consumers over a store and a bus.

An adapter pair's module subclasses `MessagingContract` and overrides `adapter_specs`: how to build the document
store and the event bus (importable factories with JSON arguments), since some tests kill a real subprocess that
builds the same adapters. Every instance built from the specs reaches the same durable backends; the bus must hand a
killed consumer's partitions to another instance within the test's patience (a short lease or session timeout).
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider

from rexvet_common.events.envelope import CloudEvent
from rexvet_common.messaging.idempotency import ProcessedEvents, idempotent, insert_once
from rexvet_common.messaging.outbox import OUTBOX_FIELD, OUTBOX_INDEX, PENDING_FIELD, OutboxRelay, add_to_outbox
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus

from .factory_spec import FactorySpec
from .messaging_effects import count_once, tally, tracked_document
from .support import FAST_RETRY, make_event, unique_name, unique_topic, wait_until

WORKER = Path(__file__).resolve().parent / "crash_worker.py"


@dataclass(frozen=True)
class AdapterSpecs:
    store: FactorySpec
    bus: FactorySpec


@dataclass
class Adapters:
    """Builds adapters from the specs and closes every one of them after the test."""

    specs: AdapterSpecs
    made: list[DocumentStore | EventBus] = field(default_factory=list)
    relays: list[OutboxRelay] = field(default_factory=list)

    def store(self) -> DocumentStore:
        store: DocumentStore = self.specs.store.build()
        self.made.append(store)
        return store

    def bus(self) -> EventBus:
        bus: EventBus = self.specs.bus.build()
        self.made.append(bus)
        return bus


@dataclass
class Counting:
    """A consumer whose effect is `count_once`; `calls` lists the deliveries whose handler returned."""

    store: DocumentStore
    effects: str
    calls: list[CloudEvent] = field(default_factory=list)

    async def __call__(self, event: CloudEvent) -> None:
        await count_once(self.store, self.effects, event)
        self.calls.append(event)


async def run_crash_worker(mode: str, job: dict[str, Any]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        mode,
        json.dumps(job),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == -signal.SIGKILL and b"about to die" in stdout, (
        f"worker {mode} should have been killed at its chosen moment; exit {process.returncode}, "
        f"stderr: {stderr.decode(errors='replace')[-2000:]}"
    )


class MessagingContract:
    @pytest.fixture
    def adapter_specs(self) -> AdapterSpecs:
        raise NotImplementedError("the adapters' test module overrides the adapter_specs fixture")

    @pytest.fixture
    async def adapters(self, adapter_specs: AdapterSpecs) -> AsyncIterator[Adapters]:
        made = Adapters(adapter_specs)
        yield made
        for relay in made.relays:
            await relay.stop()
        for adapter in reversed(made.made):
            await adapter.close()

    @pytest.fixture
    def names(self) -> dict[str, str]:
        return {
            "topic": unique_topic(),
            "group": unique_name("group"),
            "records": unique_name("records"),
            "effects": unique_name("effects"),
        }

    async def counting_consumer(self, adapters: Adapters, names: dict[str, str]) -> Counting:
        store, bus = adapters.store(), adapters.bus()
        counting = Counting(store, names["effects"])
        bus.subscribe([names["topic"]], names["group"], counting, retry=FAST_RETRY)
        await bus.start()
        return counting

    async def relay(self, adapters: Adapters, names: dict[str, str]) -> OutboxRelay:
        bus = adapters.bus()
        await bus.start()
        relay = OutboxRelay(adapters.store(), bus, [names["records"]], poll_interval=0.02)
        await relay.start()
        adapters.relays.append(relay)
        return relay

    async def test_the_relay_publishes_pending_events_in_order_and_clears_them(
        self, adapters: Adapters, names: dict[str, str]
    ) -> None:
        store = adapters.store()
        await store.ensure_collection(names["records"], [OUTBOX_INDEX])
        first, second = make_event("inst:1", 1), make_event("inst:1", 2)
        document = add_to_outbox(add_to_outbox(tracked_document("r1"), names["topic"], first), names["topic"], second)
        await store.insert(names["records"], document)
        counting = await self.counting_consumer(adapters, names)
        relay = await self.relay(adapters, names)
        await wait_until(lambda: len(counting.calls) == 2, "both events consumed")
        await relay.stop()
        assert [e.id for e in counting.calls] == [first.id, second.id]
        stored = await store.get(names["records"], "r1")
        assert stored is not None and stored["state"] == "submitted"
        assert stored[OUTBOX_FIELD] == [] and stored[PENDING_FIELD] is False
        assert await store.count(names["records"], {PENDING_FIELD: True}) == 0

    async def test_the_event_carries_the_trace_of_the_request_that_created_it(
        self, adapters: Adapters, names: dict[str, str]
    ) -> None:
        store = adapters.store()
        await store.ensure_collection(names["records"], [OUTBOX_INDEX])
        tracer = TracerProvider().get_tracer("contract")
        with tracer.start_as_current_span("POST /evidence") as span:
            document = add_to_outbox(tracked_document("r1"), names["topic"], make_event("inst:1", 1))
            trace_id = format(span.get_span_context().trace_id, "032x")
        await store.insert(names["records"], document)
        counting = await self.counting_consumer(adapters, names)
        await self.relay(adapters, names)  # runs outside the request's span
        await wait_until(lambda: len(counting.calls) == 1, "the event consumed")
        traceparent = counting.calls[0].traceparent
        assert traceparent is not None and traceparent.split("-")[1] == trace_id

    async def test_a_process_killed_before_publishing_publishes_after_restart_with_one_effect(
        self, adapters: Adapters, adapter_specs: AdapterSpecs, names: dict[str, str]
    ) -> None:
        event = make_event("inst-4:staff-2", 1)
        job = {**names, "store": adapter_specs.store.to_json(), "doc_id": "r1"}
        await run_crash_worker("state-change", {**job, "event": event.model_dump(mode="json")})
        store = adapters.store()
        stored = await store.get(names["records"], "r1")
        assert stored is not None and stored["state"] == "submitted" and stored[PENDING_FIELD] is True

        counting = await self.counting_consumer(adapters, names)
        await self.relay(adapters, names)  # the restarted service's relay
        await wait_until(lambda: len(counting.calls) >= 1, "the event published after restart")
        assert await _eventually_no_pending(store, names["records"])
        assert await tally(store, names["effects"], event.partitionkey) == 1

    async def test_a_relay_killed_after_publishing_publishes_again_and_the_effect_happens_once(
        self, adapters: Adapters, adapter_specs: AdapterSpecs, names: dict[str, str]
    ) -> None:
        store = adapters.store()
        await store.ensure_collection(names["records"], [OUTBOX_INDEX])
        event = make_event("inst-4:staff-2", 1)
        await store.insert(names["records"], add_to_outbox(tracked_document("r1"), names["topic"], event))
        counting = await self.counting_consumer(adapters, names)
        job = {**names, "store": adapter_specs.store.to_json(), "bus": adapter_specs.bus.to_json(), "doc_id": "r1"}
        await run_crash_worker("publish", job)
        await wait_until(lambda: len(counting.calls) == 1, "the dead relay's publication")
        await self.relay(adapters, names)
        await wait_until(lambda: len(counting.calls) == 2, "the restarted relay's duplicate")
        assert [e.id for e in counting.calls] == [event.id, event.id]
        assert await tally(store, names["effects"], event.partitionkey) == 1

    async def test_two_relays_on_one_collection_give_each_event_one_effect(
        self, adapters: Adapters, names: dict[str, str]
    ) -> None:
        store = adapters.store()
        await store.ensure_collection(names["records"], [OUTBOX_INDEX])
        events = [make_event("inst:shared", n) for n in range(12)]
        for n, event in enumerate(events):
            await store.insert(names["records"], add_to_outbox(tracked_document(f"r{n}"), names["topic"], event))
        counting = await self.counting_consumer(adapters, names)
        await asyncio.gather(self.relay(adapters, names), self.relay(adapters, names))
        await wait_until(lambda: {e.id for e in counting.calls} == {e.id for e in events}, "every event consumed")
        assert await _eventually_no_pending(store, names["records"])
        assert await tally(store, names["effects"], "inst:shared") == len(events)

    async def test_the_same_event_delivered_twice_has_one_effect(
        self, adapters: Adapters, names: dict[str, str]
    ) -> None:
        counting = await self.counting_consumer(adapters, names)
        publisher = adapters.bus()
        await publisher.start()
        event = make_event("inst:9", 1)
        await publisher.publish(names["topic"], event)
        await publisher.publish(names["topic"], event)
        await wait_until(lambda: len(counting.calls) == 2, "both deliveries")
        assert await tally(counting.store, names["effects"], "inst:9") == 1

    async def test_a_consumer_killed_between_effect_and_acknowledgement_has_one_effect(
        self, adapters: Adapters, adapter_specs: AdapterSpecs, names: dict[str, str]
    ) -> None:
        publisher = adapters.bus()
        await publisher.start()
        event = make_event("inst:5", 1)
        await publisher.publish(names["topic"], event)
        job = {**names, "store": adapter_specs.store.to_json(), "bus": adapter_specs.bus.to_json()}
        await run_crash_worker("consume", job)
        store = adapters.store()
        assert await tally(store, names["effects"], "inst:5") == 1  # the dead consumer's effect is stored

        counting = await self.counting_consumer(adapters, names)  # same group, after the crash
        await wait_until(lambda: len(counting.calls) == 1, "the unacknowledged event redelivered")
        assert counting.calls[0].id == event.id
        assert await tally(store, names["effects"], "inst:5") == 1

    async def test_insert_once_and_processed_events_skip_a_repeated_event(
        self, adapters: Adapters, names: dict[str, str]
    ) -> None:
        store = adapters.store()
        event = make_event("inst:3", 1)
        record = {"_id": f"from-{event.id}", "n": 1}
        assert await insert_once(store, names["records"], record) is True
        assert await insert_once(store, names["records"], record) is False
        assert await store.count(names["records"]) == 1

        processed = ProcessedEvents(store, names["effects"])
        await processed.setup()
        handled: list[str] = []

        async def handler(e: CloudEvent) -> None:
            handled.append(e.id)

        once = idempotent(handler, processed, names["group"])
        await once(event)
        await once(event)
        assert handled == [event.id]
        assert await processed.seen(names["group"], event.id)
        assert not await processed.seen("another-group", event.id)


async def _eventually_no_pending(store: DocumentStore, collection: str) -> bool:
    for _ in range(500):
        if await store.count(collection, {PENDING_FIELD: True}) == 0:
            return True
        await asyncio.sleep(0.02)
    return False
