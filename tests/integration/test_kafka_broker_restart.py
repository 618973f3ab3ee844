"""Restart tolerance: the Kafka broker is stopped and started again while events flow; no event is lost, and the
idempotent consumer applies each exactly once (redeliveries after the restart are absorbed)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers

from contract.messaging_effects import count_once, tally
from contract.real_engines import MONGO_URL, TEST_DATABASE, require_kafka, require_mongo
from contract.support import make_event, unique_name, unique_topic, wait_until
from contract.test_event_bus_real_kafka import kafka_bus
from real_engine_helpers import infra, require_our_broker

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.errors import RexvetError
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.event_bus import RetryPolicy

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

EVENTS = 300
KEYS = [f"inst-{n}:staff" for n in range(6)]
PATIENT = 240.0  # a guard against hanging only: the broker restarts in seconds, more on a busy machine


async def test_events_flowing_through_a_broker_restart_are_all_applied_once() -> None:
    require_kafka()
    require_mongo()
    require_our_broker()
    store = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE)
    consumer, publisher = kafka_bus(), kafka_bus()
    topic, group, effects = unique_topic(), unique_name("restart"), unique_name("effects")
    handled: list[str] = []

    async def handler(event: CloudEvent) -> None:
        await count_once(store, effects, event)
        handled.append(event.id)

    consumer.subscribe([topic], group, handler, retry=RetryPolicy(max_attempts=20, max_backoff_seconds=1.0))
    events = [make_event(KEYS[n % len(KEYS)], n) for n in range(EVENTS)]
    published: list[str] = []

    async def publish_all() -> None:
        for event in events:
            while True:  # what a service's outbox relay does: try again until the broker has it
                try:
                    await publisher.publish(topic, event)
                    break
                except RexvetError:
                    await asyncio.sleep(0.5)
            published.append(event.id)
            await asyncio.sleep(0.05)  # a steady flow that outlasts the restart

    try:
        await consumer.start()
        await publisher.start()
        flowing = asyncio.create_task(publish_all())
        await wait_until(
            lambda: len(published) >= EVENTS // 5 and len(handled) >= 10, "events flowing before the restart", PATIENT
        )
        before = len(published)
        await asyncio.to_thread(infra, "down", "kafka")
        await asyncio.sleep(1)
        await asyncio.to_thread(infra, "up", "kafka")
        during = len(published) - before
        assert len(published) < EVENTS, "the flow must still run when the broker is back, or nothing was tested"
        await asyncio.wait_for(flowing, timeout=PATIENT)
        expected = {e.id for e in events}
        await wait_until(lambda: expected <= set(handled), "every event after the restart", PATIENT)
        assert len(published) == EVENTS
        print(f"published before the restart: {before}, while it was down or starting: {during}")
        totals = [await tally(store, effects, key) for key in KEYS]
        assert totals == [EVENTS // len(KEYS)] * len(KEYS)  # each event applied exactly once
    finally:
        await consumer.close()
        await publisher.close()
        await store.close()
