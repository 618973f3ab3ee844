"""The coaching full path (API and events) on Kafka + FerretDB: the same flow as the embedded test.

Needs `make infra-up` (Kafka on 127.0.0.1:9092, FerretDB on 127.0.0.1:27017) or REXVET_KAFKA_BOOTSTRAP_SERVERS and
REXVET_MONGO_URL. Each run uses its own institution, consumer groups and database, since topics are shared.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import SecretStr
from pymongo import MongoClient

# tests/unit, the root the coaching unit tests are imported from: their flow is one module under one name.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from coaching.flows import full_path
from coaching.harness import AUDIENCE, ISSUER, Harness, coaching_app

from rexvet_coaching.consumers.handlers import CONSUMED_TOPICS
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.adapters.kafka_event_bus import KafkaSettings
from rexvet_common.adapters.mongo_document_store import MongoSettings, database_name
from rexvet_common.events import topics
from rexvet_common.settings import PlatformSettings
from rexvet_common.wiring.backends import build_document_store, build_event_bus

pytestmark = pytest.mark.integration


async def start_groups_at_end(kafka: KafkaSettings, groups: Mapping[str, Sequence[str]]) -> None:
    """The shared topics hold every earlier run's events and a new group starts at the earliest offset: commit each
    new group's offsets at the current ends, so this test consumes only its own events."""
    for group, group_topics in groups.items():
        consumer = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            metadata = await consumer._client.fetch_all_metadata()
            partitions = [
                TopicPartition(topic, p) for topic in group_topics for p in metadata.partitions_for_topic(topic) or ()
            ]
            if partitions:
                consumer.assign(partitions)
                await consumer.seek_to_end(*partitions)
                await consumer.commit({tp: await consumer.position(tp) for tp in partitions})
        finally:
            await consumer.stop()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    run = uuid.uuid4().hex[:8]
    platform = PlatformSettings(
        data_dir=tmp_path / "var",
        auth_issuer=ISSUER,
        auth_audience=AUDIENCE,
        bus="kafka",
        documents="mongo",
    )
    kafka = KafkaSettings(bootstrap_servers=os.environ.get("REXVET_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    mongo = MongoSettings(
        url=SecretStr(os.environ.get("REXVET_MONGO_URL", "mongodb://127.0.0.1:27017")),
        database_prefix=f"rexvet_it_{run}_",
    )
    settings = CoachingSettings(platform=platform, backends={"bus": kafka, "documents": mongo})
    bus = build_event_bus(settings)
    documents = build_document_store(settings)
    groups = {f"coaching-it-{run}": CONSUMED_TOPICS, f"observer-it-{run}": (topics.COACHING,)}
    await start_groups_at_end(kafka, groups)
    try:
        async with coaching_app(
            tmp_path,
            bus=bus,
            documents=documents,
            platform=platform,
            tenant=f"it-{run}",
            consumer_group=f"coaching-it-{run}",
            observer_group=f"observer-it-{run}",
        ) as h:
            yield h
    finally:
        client: MongoClient[dict[str, Any]] = MongoClient(mongo.url.get_secret_value())
        with client:
            client.drop_database(database_name(settings.service_name, mongo))


async def test_full_path_on_kafka_and_ferretdb(harness: Harness) -> None:
    await full_path(harness)
