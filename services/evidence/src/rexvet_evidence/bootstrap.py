"""The evidence service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rexvet_common.auth.jwks import KeySource
from rexvet_common.errors import ConfigurationError
from rexvet_common.messaging.outbox import OutboxRelay
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_common.wiring.backends import build_blob_store
from rexvet_evidence.records import COLLECTION, EvidenceRecords
from rexvet_evidence.settings import EvidenceSettings

FILES_PATH = "/v1/evidence-files"


@dataclass
class EvidenceContext:
    records: EvidenceRecords
    wake_relay: Callable[[], None]


def blob_url_secret(settings: EvidenceSettings) -> str:
    """The configured secret, or in development one generated once and kept under the data directory."""
    if settings.blob_url_secret is not None:
        return settings.blob_url_secret.get_secret_value()
    if settings.platform.production:
        raise ConfigurationError("set REXVET_EVIDENCE_BLOB_URL_SECRET: production does not generate secrets")
    path = settings.service_dir / "blob-url-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_private(path, secrets.token_urlsafe(32))
    return path.read_text().strip()


def _write_private(path: Path, text: str) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.replace(temporary, path)


async def bootstrap(
    settings: EvidenceSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    blobs: BlobStore | None = None,
    keys: KeySource | None = None,
) -> ServiceRuntime:
    blob_store = blobs or build_blob_store(
        settings, download_base_url=settings.base_url + FILES_PATH, url_signing_secret=blob_url_secret(settings)
    )
    platform = bootstrap_platform(settings, bus=bus, documents=documents, blobs=blob_store, keys=keys)
    records = EvidenceRecords(platform.documents)
    await records.prepare()
    relay = OutboxRelay(platform.documents, platform.bus, [COLLECTION])
    return ServiceRuntime(
        platform,
        context=EvidenceContext(records=records, wake_relay=relay.wake),
        components=[relay],
    )
