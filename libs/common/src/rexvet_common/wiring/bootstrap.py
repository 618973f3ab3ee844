"""`bootstrap_platform(settings)`: the adapters a service process uses, built from its settings.

Each service's own `bootstrap()` calls this from FastAPI's lifespan, then adds its collections, consumers and relay
(and its blob store, built with `build_blob_store`, when it keeps files).
Adapters may be passed in instead (tests pass the embedded ones pointed at a temporary directory).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rexvet_common.auth.jwks import KeySource, RemoteJwks
from rexvet_common.auth.jwks_cache import DocumentStoreJwksCache
from rexvet_common.auth.principal import ClaimNames
from rexvet_common.auth.verifier import TokenVerifier
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.settings import PlatformSettings, ServiceSettings, summarize
from rexvet_common.telemetry.bus import TracedEventBus
from rexvet_common.wiring.backends import build_document_store, build_event_bus

log = logging.getLogger(__name__)


@dataclass
class Platform:
    settings: ServiceSettings
    bus: EventBus
    documents: DocumentStore
    blobs: BlobStore | None
    token_verifier: TokenVerifier

    async def close(self) -> None:
        await self.bus.close()
        await self.documents.close()
        if self.blobs is not None:
            await self.blobs.close()


def token_verifier_for(
    platform: PlatformSettings, keys: KeySource | None = None, documents: DocumentStore | None = None
) -> TokenVerifier:
    """`documents`: where the last good key set is kept for a restart while the issuer is down (see `jwks_cache`)."""
    remote = keys or RemoteJwks(
        platform.jwks_url,
        max_stale_seconds=platform.auth_jwks_max_stale_seconds,
        cache=DocumentStoreJwksCache(documents) if documents is not None else None,
    )
    return TokenVerifier(
        remote,
        issuer=platform.auth_issuer,
        audience=platform.auth_audience,
        algorithms=[name.strip() for name in platform.auth_algorithms.split(",") if name.strip()],
        claims=ClaimNames(
            sub=platform.auth_claim_sub,
            tenant=platform.auth_claim_tenant,
            roles=platform.auth_claim_roles,
            scope=platform.auth_claim_scope,
        ),
        leeway_seconds=platform.auth_leeway_seconds,
        refuse_dev_tokens=platform.production,
    )


def bootstrap_platform(
    settings: ServiceSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    blobs: BlobStore | None = None,
    keys: KeySource | None = None,
) -> Platform:
    log.info("starting with %s", summarize(settings).model_dump())
    documents = documents or build_document_store(settings)
    return Platform(
        settings=settings,
        bus=TracedEventBus(bus or build_event_bus(settings)),
        documents=documents,
        blobs=blobs,
        token_verifier=token_verifier_for(settings.platform, keys, documents),
    )
