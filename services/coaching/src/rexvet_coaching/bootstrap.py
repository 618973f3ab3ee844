"""The coaching service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

from dataclasses import dataclass

from rexvet_coaching.received_evidence import ReceivedEvidence
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.auth.jwks import KeySource
from rexvet_common.events import topics
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform


@dataclass
class CoachingContext:
    """The coaching service's own objects, reached by its API's dependencies through `runtime.context`."""

    received_evidence: ReceivedEvidence


async def bootstrap(
    settings: CoachingSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    blobs: BlobStore | None = None,
    keys: KeySource | None = None,
) -> ServiceRuntime:
    platform = bootstrap_platform(settings, bus=bus, documents=documents, blobs=blobs, keys=keys)
    received = ReceivedEvidence(platform.documents)
    await received.prepare()
    platform.bus.subscribe([topics.EVIDENCE], settings.consumer_group, received.handle)
    return ServiceRuntime(
        platform,
        context=CoachingContext(received_evidence=received),
        consumer_groups=[settings.consumer_group],
    )
