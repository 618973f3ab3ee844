"""The verifier service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

from rexvet_common.auth.jwks import KeySource
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_verifier.settings import VerifierSettings


async def bootstrap(
    settings: VerifierSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    keys: KeySource | None = None,
) -> ServiceRuntime:
    platform = bootstrap_platform(settings, bus=bus, documents=documents, keys=keys)
    return ServiceRuntime(platform)
