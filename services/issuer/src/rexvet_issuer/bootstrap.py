"""The issuer service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from rexvet_common.auth.jwks import KeySource, StaticJwks
from rexvet_common.errors import ConfigurationError
from rexvet_common.messaging.outbox import OutboxRelay
from rexvet_common.ports.blob_store import BlobStore
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_issuer.adapters.key_vault import KeyVault, development_kek, parse_kek
from rexvet_issuer.application import credentials, issuers
from rexvet_issuer.application.credentials import IssuedCredentials
from rexvet_issuer.application.issuers import IssuerRegistry
from rexvet_issuer.application.status_lists import Identity, StatusLists
from rexvet_issuer.consumers.handlers import CONSUMED_TOPICS, IssuerConsumer
from rexvet_issuer.settings import IssuerSettings
from rexvet_issuer.token_service.api import TokenService
from rexvet_issuer.token_service.clients import ClientRegistry
from rexvet_issuer.token_service.grants import SignInGrants
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.wallet.application.service import Wallet, wallet_hand_off

log = logging.getLogger(__name__)


@dataclass
class IssuerContext:
    token_service: TokenService
    issuers: IssuerRegistry
    status_lists: StatusLists
    credentials: IssuedCredentials
    consumer: IssuerConsumer
    relay: OutboxRelay
    settings: IssuerSettings
    wallet: Wallet


def signing_key_ring(settings: IssuerSettings) -> SigningKeyRing:
    return SigningKeyRing(settings.token_keys_path)


def key_vault(settings: IssuerSettings) -> KeyVault:
    previous = settings.previous_key_encryption_keys
    texts = previous.get_secret_value().split(",") if previous is not None else []
    former = [parse_kek(text, name="REXVET_ISSUER_PREVIOUS_KEY_ENCRYPTION_KEYS") for text in texts if text.strip()]
    return KeyVault(key_encryption_key(settings), former)


def key_encryption_key(settings: IssuerSettings) -> bytes:
    """The configured KEK, or in development one generated once and kept under the data directory."""
    if settings.key_encryption_key is not None:
        return parse_kek(settings.key_encryption_key.get_secret_value())
    if settings.platform.production:
        raise ConfigurationError("set REXVET_ISSUER_KEY_ENCRYPTION_KEY: production does not generate secrets")
    return development_kek(settings.service_dir / "key-encryption-key")


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
    vault = key_vault(settings)
    # The issuer verifies tokens against its own key files; when the platform trusts another provider, that one.
    own_issuer = settings.platform.auth_jwks_url is None
    key_source = keys or (StaticJwks(ring.jwks) if own_issuer else None)
    platform = bootstrap_platform(settings, bus=bus, documents=documents, blobs=blobs, keys=key_source)
    registry = ClientRegistry(platform.documents)
    await registry.prepare()
    grants = SignInGrants(
        platform.documents,
        code_ttl_seconds=settings.signin_code_ttl_seconds,
        refresh_ttl_seconds=settings.refresh_token_ttl_seconds,
    )
    await grants.prepare()
    token_service = TokenService(
        registry=registry,
        keys=ring,
        issuer=settings.platform.auth_issuer,
        audience=settings.platform.auth_audience,
        ttl_seconds=settings.access_token_ttl_seconds,
        allow_key_creation=development,
        grants=grants,
        development=development,
        relying_party_id=settings.oidc_client_id,
        redirect_uris=settings.redirect_uris,
    )
    issuer_registry = IssuerRegistry(platform.documents, vault, base_url=settings.base_url)
    await issuer_registry.prepare()
    resealed = await issuer_registry.reseal_all()  # a KEK that opens no stored key fails here, at start
    if resealed:
        log.info("signing keys re-sealed under the current key-encryption key", extra={"issuers": resealed})

    async def list_key(institution: str, identity: Identity) -> Ed25519SigningKey:
        issuer = await issuer_registry.ensure(institution)
        return issuer_registry.signing_key(issuer, under_profile_url=identity == "profile")

    status_lists = StatusLists(
        platform.documents,
        base_url=settings.base_url,
        signing_key=list_key,
        ttl=timedelta(seconds=settings.status_list_ttl_seconds),
    )
    await status_lists.prepare()
    issued = IssuedCredentials(platform.documents, issuer_registry, status_lists)
    await issued.prepare()
    wallet = await wallet_hand_off(
        platform.documents,
        credentials=issued,
        issuers=issuer_registry,
        status_lists=status_lists,
        base_url=settings.base_url,
        offer_ttl_seconds=settings.wallet_offer_ttl_seconds,
        token_ttl_seconds=settings.wallet_token_ttl_seconds,
        nonce_ttl_seconds=settings.wallet_nonce_ttl_seconds,
        requests_per_minute=settings.wallet_requests_per_minute,
        key_encryption_key=key_encryption_key(settings),  # the c_nonces' MAC key is derived from it
    )
    relay = OutboxRelay(platform.documents, platform.bus, [issuers.COLLECTION, credentials.COLLECTION])
    consumer = IssuerConsumer(issued, on_emitted=relay.wake)
    platform.bus.subscribe(list(CONSUMED_TOPICS), settings.consumer_group, consumer.handle)
    context = IssuerContext(
        token_service=token_service,
        issuers=issuer_registry,
        status_lists=status_lists,
        credentials=issued,
        consumer=consumer,
        relay=relay,
        settings=settings,
        wallet=wallet,
    )
    return ServiceRuntime(platform, context=context, components=[relay], consumer_groups=[settings.consumer_group])
