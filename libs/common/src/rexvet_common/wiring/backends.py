"""Build the adapter each port's backend selector names.

Adapter modules are imported here, lazily and only for the chosen backend: a deployment that never selects Kafka
never imports aiokafka, and an adapter that is not installed fails only when it is selected, with a clear message.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from rexvet_common.errors import ConfigurationError
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.settings import BlobsBackend, BusBackend, DocumentsBackend, ServiceSettings


def _adapter_module(module: str, variable: str, value: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            f"{variable}={value} needs the adapter module {module}, which is not installed ({exc}); "
            f"choose another {variable}"
        ) from exc


def _secret(value: Any) -> str | None:
    return None if value is None else str(value.get_secret_value())


def build_event_bus(settings: ServiceSettings) -> EventBus:
    platform = settings.platform
    if platform.bus is BusBackend.EMBEDDED:
        module = _adapter_module("rexvet_common.adapters.sqlite_event_log", "REXVET_BUS", platform.bus)
        platform.event_log_path.parent.mkdir(parents=True, exist_ok=True)
        bus: EventBus = module.SqliteEventLog(platform.event_log_path, lease_ttl=platform.event_log_lease_seconds)
        return bus
    module = _adapter_module("rexvet_common.adapters.kafka_event_bus", "REXVET_BUS", platform.bus)
    assert platform.kafka_bootstrap_servers is not None  # load_settings() refused the settings otherwise
    kafka_bus: EventBus = module.KafkaEventBus(
        bootstrap_servers=platform.kafka_bootstrap_servers,
        client_id=f"rexvet-{settings.service_name}",
        partitions=platform.kafka_partitions,
        replication_factor=platform.kafka_replication_factor,
        security_protocol=platform.kafka_security_protocol,
        sasl_mechanism=platform.kafka_sasl_mechanism,
        sasl_username=platform.kafka_sasl_username,
        sasl_password=_secret(platform.kafka_sasl_password),
        ssl_cafile=str(platform.kafka_ssl_cafile) if platform.kafka_ssl_cafile else None,
        namespace=platform.kafka_namespace,
    )
    return kafka_bus


def build_document_store(settings: ServiceSettings) -> DocumentStore:
    platform = settings.platform
    if platform.documents is DocumentsBackend.SQLITE:
        module = _adapter_module("rexvet_common.adapters.sqlite_document_store", "REXVET_DOCUMENTS", platform.documents)
        settings.documents_path.parent.mkdir(parents=True, exist_ok=True)
        store: DocumentStore = module.SqliteDocumentStore(settings.documents_path)
        return store
    module = _adapter_module("rexvet_common.adapters.mongo_document_store", "REXVET_DOCUMENTS", platform.documents)
    mongo_url = _secret(platform.mongo_url)
    assert mongo_url is not None
    mongo_store: DocumentStore = module.MongoDocumentStore(mongo_url, database=settings.mongo_database)
    return mongo_store


def build_blob_store(settings: ServiceSettings, *, download_base_url: str, url_signing_secret: str) -> BlobStore:
    """`download_base_url` and `url_signing_secret` serve the local store's signed URLs (S3 presigns its own)."""
    platform = settings.platform
    if platform.blobs is BlobsBackend.LOCAL:
        module = _adapter_module("rexvet_common.adapters.local_blob_store", "REXVET_BLOBS", platform.blobs)
        settings.blobs_dir.mkdir(parents=True, exist_ok=True)
        blobs: BlobStore = module.LocalBlobStore(
            settings.blobs_dir, base_url=download_base_url, signing_secret=url_signing_secret
        )
        return blobs
    module = _adapter_module("rexvet_common.adapters.s3_blob_store", "REXVET_BLOBS", platform.blobs)
    assert platform.s3_endpoint is not None
    s3_blobs: BlobStore = module.S3BlobStore(
        endpoint=platform.s3_endpoint,
        access_key=_secret(platform.s3_access_key),
        secret_key=_secret(platform.s3_secret_key),
        bucket=settings.s3_bucket,
        region=platform.s3_region,
        secure=platform.s3_secure,
        public_endpoint=platform.s3_public_endpoint,
    )
    return s3_blobs
