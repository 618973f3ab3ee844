"""The Kafka event bus against the event bus contract on the local broker (`make infra-up`)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from rexvet_common.adapters.kafka_event_bus import KafkaEventBus

from .event_bus_contract import BusFactory, EventBusContract
from .real_engines import KAFKA_BOOTSTRAP, require_kafka
from .support import FAST_RETRY, Recorder, make_event, unique_name, unique_topic, wait_until

pytestmark = pytest.mark.integration

# Short session and close grace so that a killed or closed consumer's partitions move on quickly in tests.
TEST_SETTINGS: dict[str, Any] = {"session_timeout_ms": 6000, "heartbeat_interval_ms": 500, "close_grace": 0.5}


def kafka_bus(**overrides: Any) -> KafkaEventBus:
    """A module-level factory, so that a subprocess (the crash worker) can build the same bus from JSON."""
    return KafkaEventBus(
        **{"bootstrap_servers": KAFKA_BOOTSTRAP, "client_id": "rexvet-contract", **TEST_SETTINGS, **overrides}
    )


class TestKafkaEventBus(EventBusContract):
    @pytest.fixture
    def make_bus(self) -> BusFactory:
        require_kafka()
        return kafka_bus


class TestKafkaEventBusInANamespace(EventBusContract):
    """The same contract with every topic and group name prefixed, as deployments sharing a cluster use it."""

    @pytest.fixture
    def make_bus(self) -> BusFactory:
        require_kafka()
        namespace = f"ns{uuid.uuid4().hex[:8]}."
        return lambda: kafka_bus(namespace=namespace)


async def test_two_namespaces_on_one_cluster_do_not_see_each_others_events() -> None:
    require_kafka()
    topic, group = unique_topic(), unique_name("same-group")  # the same names in both namespaces
    buses = [kafka_bus(namespace=f"ns{uuid.uuid4().hex[:8]}.") for _ in range(2)]
    received: list[Recorder] = [Recorder(), Recorder()]
    try:
        for bus, recorder in zip(buses, received, strict=True):
            bus.subscribe([topic], group, recorder, retry=FAST_RETRY)
            await bus.start()
        first, second = make_event("inst:1", 1), make_event("inst:1", 2)
        await buses[0].publish(topic, first)
        await buses[1].publish(topic, second)
        await wait_until(lambda: all(len(r.events) == 1 for r in received), "each namespace's own event")
        await asyncio.sleep(1)  # room for a leak to show
        assert received[0].ids() == [first.id] and received[1].ids() == [second.id]
        assert (await buses[0].consumer_lag(group)) == {topic: 0}
    finally:
        for bus in buses:
            await bus.close()


async def test_a_bus_closes_right_after_measuring_lag() -> None:
    # The offsets reader is a consumer outside any group; stopped before its helper task first ran, aiokafka let that
    # task's CancelledError out of stop(), so close() failed (the chaos drill's dead-letter count, one lag and close).
    require_kafka()
    for _ in range(10):
        bus = kafka_bus()
        group = unique_name("lag-then-close")
        bus.subscribe([unique_topic()], group, Recorder())
        assert await bus.consumer_lag(group) is not None
        await bus.close()
