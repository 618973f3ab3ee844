"""Outbox and idempotent consumers on the real engines: the MongoDB-wire store on FerretDB and the Kafka bus, with
the crash tests' subprocesses SIGKILLed mid-way (`make infra-up`)."""

from __future__ import annotations

import pytest

from .factory_spec import FactorySpec
from .messaging_contract import AdapterSpecs, MessagingContract
from .real_engines import KAFKA_BOOTSTRAP, MONGO_URL, TEST_DATABASE, require_kafka, require_mongo

pytestmark = pytest.mark.integration


class TestMessagingOnKafkaAndFerretDB(MessagingContract):
    @pytest.fixture
    def adapter_specs(self) -> AdapterSpecs:
        require_kafka()
        require_mongo()
        return AdapterSpecs(
            store=FactorySpec(
                "rexvet_common.adapters.mongo_document_store:MongoDocumentStore",
                {"url": MONGO_URL, "database": TEST_DATABASE},
            ),
            bus=FactorySpec("contract.test_event_bus_real_kafka:kafka_bus", {"bootstrap_servers": KAFKA_BOOTSTRAP}),
        )
