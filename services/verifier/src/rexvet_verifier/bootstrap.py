"""The verifier service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

from dataclasses import dataclass

from rexvet_common.auth.jwks import KeySource
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_credentials.clocks import SystemClock
from rexvet_credentials.fetch import GuardedFetcher
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.ports import Clock, DocumentFetcher
from rexvet_credentials.status.checker import StatusListCache
from rexvet_verifier.bounded_cache import ByteBoundedCache
from rexvet_verifier.consumers import CONSUMED_TOPICS, VerifierConsumer
from rexvet_verifier.fetching import fetch_policy
from rexvet_verifier.pages import PageRenderer
from rexvet_verifier.settings import VerifierSettings
from rexvet_verifier.shared_fetches import SharedFetches
from rexvet_verifier.status_cache_pruning import pruning_worker
from rexvet_verifier.trust_registry import TrustRegistry
from rexvet_verifier.verification import CredentialVerifier


@dataclass
class VerifierContext:
    """The verifier's own objects, reached by its routes through `runtime.context`."""

    settings: VerifierSettings
    verifier: CredentialVerifier
    registry: TrustRegistry
    consumer: VerifierConsumer
    pages: PageRenderer
    status_lists: StatusListCache


async def bootstrap(
    settings: VerifierSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    keys: KeySource | None = None,
    fetcher: DocumentFetcher | None = None,
    clock: Clock | None = None,
) -> ServiceRuntime:
    """`fetcher` and `clock` replace the guarded network fetcher and the system clock (tests)."""
    platform = bootstrap_platform(settings, bus=bus, documents=documents, keys=keys)
    clock = clock or SystemClock()
    # Every document a credential names (did:web, controller documents, status lists) goes through this one fetcher.
    fetches = SharedFetches(fetcher or GuardedFetcher(fetch_policy(settings)))
    # Development's issuer is did:web:127.0.0.1%3A8003:...: read over http there, as its profiles and lists are;
    # unless the services serve TLS themselves (REXVET_TLS_CERT_FILE): then it is https, as did:web says.
    loopback_http = settings.loopback_fetch_allowed and settings.platform.tls_cert_file is None
    ports = network_ports(clock, fetcher=fetches, did_web_http_on_loopback=loopback_http)
    registry = TrustRegistry(platform.documents)
    await registry.prepare()
    verifier = CredentialVerifier(
        clock=clock,
        key_resolver=ports.key_resolver,
        status_checker=ports.status_checker,
        trusted_issuers=registry,
        cache=ByteBoundedCache(),
        fetcher=fetches,
    )
    consumer = VerifierConsumer(registry, ports.status_cache, ports.key_resolver, fetches)
    platform.bus.subscribe(list(CONSUMED_TOPICS), settings.consumer_group, consumer.handle)
    context = VerifierContext(
        settings=settings,
        verifier=verifier,
        registry=registry,
        consumer=consumer,
        pages=PageRenderer(),
        status_lists=ports.status_cache,
    )
    return ServiceRuntime(
        platform,
        context=context,
        consumer_groups=[settings.consumer_group],
        workers=[("status-cache-pruning", pruning_worker(ports.status_cache, clock))],
    )
