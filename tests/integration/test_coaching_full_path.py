"""The coaching full path (API and events) on Kafka + FerretDB: the same flow as the embedded test.

Needs `make infra-up` (Kafka on 127.0.0.1:9092, FerretDB on 127.0.0.1:27017) or REXVET_KAFKA_BOOTSTRAP_SERVERS and
REXVET_MONGO_URL. Each run uses its own institution, consumer groups and database, since topics are shared.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from unit.coaching.flows import full_path  # tests/ is on sys.path (tests/conftest.py)
from unit.coaching.harness import AUDIENCE, ISSUER, Harness, coaching_app

from rexvet_coaching.settings import CoachingSettings
from rexvet_common.settings import PlatformSettings
from rexvet_common.wiring.backends import build_document_store, build_event_bus

pytestmark = pytest.mark.integration


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    run = uuid.uuid4().hex[:8]
    platform = PlatformSettings(
        data_dir=tmp_path / "var",
        auth_issuer=ISSUER,
        auth_audience=AUDIENCE,
        bus="kafka",
        documents="mongo",
        kafka_bootstrap_servers=os.environ.get("REXVET_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        mongo_url=os.environ.get("REXVET_MONGO_URL", "mongodb://127.0.0.1:27017"),
        mongo_database_prefix=f"rexvet_it_{run}_",
    )
    settings = CoachingSettings(platform=platform)
    bus = build_event_bus(settings)
    documents = build_document_store(settings)
    async with coaching_app(tmp_path, bus=bus, documents=documents, platform=platform, tenant=f"it-{run}") as h:
        yield h


async def test_full_path_on_kafka_and_ferretdb(harness: Harness) -> None:
    await full_path(harness)
