"""The Kafka event bus against the event bus contract on the local broker (`make infra-up`)."""

from __future__ import annotations

from typing import Any

import pytest

from rexvet_common.adapters.kafka_event_bus import KafkaEventBus

from .event_bus_contract import BusFactory, EventBusContract
from .real_engines import KAFKA_BOOTSTRAP, require_kafka

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
