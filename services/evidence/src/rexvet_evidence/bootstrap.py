"""The evidence service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from rexvet_common.auth.jwks import KeySource
from rexvet_common.errors import ConfigurationError
from rexvet_common.messaging.outbox import OutboxRelay
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_common.wiring.backends import build_blob_store
from rexvet_evidence.application import hr_events
from rexvet_evidence.application.files import EvidenceFiles
from rexvet_evidence.application.hr_events import HrEvents
from rexvet_evidence.application.records import COLLECTION, EvidenceRecords
from rexvet_evidence.settings import EvidenceSettings

FILES_PATH = "/v1/blobs"  # where the local blob store's signed download URLs point (served by api/file_routes.py)


@dataclass
class EvidenceContext:
    records: EvidenceRecords
    hr_events: HrEvents
    files: EvidenceFiles
    blobs: BlobStore
    # relay.wake: naming the (collection, document) lets the relay fetch it by id instead of querying
    wake_relay: Callable[..., None]
    # Checks the local blob store's signed URLs; None when S3 presigns them (then this service serves no files).
    download_signing_secret: str | None


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
    # Only the local backend signs its own URLs: S3 presigns them, and needs no secret of ours.
    secret = blob_url_secret(settings) if settings.blobs_backend().signs_download_links else None
    blob_store = blobs or build_blob_store(
        settings, download_base_url=settings.base_url + FILES_PATH, url_signing_secret=secret or ""
    )
    platform = bootstrap_platform(settings, bus=bus, documents=documents, blobs=blob_store, keys=keys)
    records = EvidenceRecords(platform.documents)
    await records.prepare()
    received = HrEvents(platform.documents)
    await received.prepare()
    files = EvidenceFiles(
        records,
        blob_store,
        max_size=settings.max_upload_bytes,
        idle_seconds=settings.upload_idle_seconds,
        url_ttl=timedelta(seconds=settings.download_url_ttl_seconds),
    )
    relay = OutboxRelay(platform.documents, platform.bus, [COLLECTION, hr_events.COLLECTION])
    context = EvidenceContext(
        records=records,
        hr_events=received,
        files=files,
        blobs=blob_store,
        wake_relay=relay.wake,
        download_signing_secret=secret,
    )
    return ServiceRuntime(platform, context=context, components=[relay])
