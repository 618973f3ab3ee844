"""Build the adapter each port's selector names, through the backend registry (`rexvet_common.backend_registry`).

Only the chosen backend's module is imported: a deployment that never selects Kafka never imports aiokafka, and an
adapter that is not installed fails only when it is selected, with a clear message.
"""

from __future__ import annotations

from rexvet_common.backend_registry import BuildContext, backend
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.settings import ServiceSettings


def build_event_bus(settings: ServiceSettings) -> EventBus:
    chosen = backend("bus", settings.platform.bus)
    bus: EventBus = chosen.build(BuildContext(settings), settings.backend_settings("bus"))
    return bus


def build_document_store(settings: ServiceSettings) -> DocumentStore:
    chosen = backend("documents", settings.platform.documents)
    store: DocumentStore = chosen.build(BuildContext(settings), settings.backend_settings("documents"))
    return store


def build_blob_store(settings: ServiceSettings, *, download_base_url: str, url_signing_secret: str) -> BlobStore:
    """`download_base_url` and `url_signing_secret` serve the local store's signed URLs (S3 presigns its own)."""
    chosen = backend("blobs", settings.platform.blobs)
    context = BuildContext(settings, download_base_url=download_base_url, url_signing_secret=url_signing_secret)
    blobs: BlobStore = chosen.build(context, settings.backend_settings("blobs"))
    return blobs
