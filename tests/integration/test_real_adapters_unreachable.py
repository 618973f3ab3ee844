"""A real adapter whose server does not answer says so with `BackendUnavailableError` (what /readyz reports), and
does not hang: nothing listens on 127.0.0.1 port 1."""

from __future__ import annotations

import pytest

from rexvet_common.adapters.kafka_event_bus import KafkaEventBus
from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.adapters.s3_blob_store import S3BlobStore
from rexvet_common.errors import BackendUnavailableError

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

NOBODY = "127.0.0.1:1"


async def test_kafka_unreachable() -> None:
    bus = KafkaEventBus(bootstrap_servers=NOBODY)
    with pytest.raises(BackendUnavailableError, match="Kafka cannot be reached"):
        await bus.start()
    await bus.close()


async def test_mongo_unreachable() -> None:
    store = MongoDocumentStore(f"mongodb://{NOBODY}/", database="rexvet_nowhere", server_selection_timeout_ms=500)
    with pytest.raises(BackendUnavailableError, match="cannot be reached to ping"):
        await store.ping()
    with pytest.raises(BackendUnavailableError):
        await store.get("things", "a")
    await store.close()


async def test_s3_unreachable() -> None:
    blobs = S3BlobStore(endpoint=NOBODY, access_key="k", secret_key="s", bucket="rexvet-nowhere", secure=False)
    with pytest.raises(BackendUnavailableError, match="S3 server cannot be reached"):
        await blobs.ping()
    await blobs.close()
