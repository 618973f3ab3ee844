"""The issuer service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

from dataclasses import dataclass

from rexvet_common.auth.jwks import KeySource, StaticJwks
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_issuer.settings import IssuerSettings
from rexvet_issuer.token_service.api import TokenService
from rexvet_issuer.token_service.clients import ClientRegistry
from rexvet_issuer.token_service.keys import SigningKeyRing


@dataclass
class IssuerContext:
    token_service: TokenService


def signing_key_ring(settings: IssuerSettings) -> SigningKeyRing:
    return SigningKeyRing(settings.token_keys_path)


async def bootstrap(
    settings: IssuerSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    blobs: BlobStore | None = None,
    keys: KeySource | None = None,
) -> ServiceRuntime:
    ring = signing_key_ring(settings)
    development = not settings.platform.production
    ring.ensure(allow_create=development)  # production without a provisioned key fails here, at start
    # The issuer verifies tokens against its own key files; when the platform trusts another provider, that one.
    own_issuer = settings.platform.auth_jwks_url is None
    key_source = keys or (StaticJwks(ring.jwks) if own_issuer else None)
    platform = bootstrap_platform(settings, bus=bus, documents=documents, blobs=blobs, keys=key_source)
    registry = ClientRegistry(platform.documents)
    await registry.prepare()
    token_service = TokenService(
        registry=registry,
        keys=ring,
        issuer=settings.platform.auth_issuer,
        audience=settings.platform.auth_audience,
        ttl_seconds=settings.access_token_ttl_seconds,
        allow_key_creation=development,
    )
    return ServiceRuntime(platform, context=IssuerContext(token_service=token_service))
