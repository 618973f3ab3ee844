"""The verifier service's composition root: called from the app's lifespan, never at import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rexvet_common.auth.jwks import KeySource
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform
from rexvet_credentials.clocks import SystemClock
from rexvet_credentials.fetch import GuardedFetcher
from rexvet_credentials.fetch_wiring import NetworkLimits, network_ports
from rexvet_credentials.ports import Clock, DocumentFetcher
from rexvet_credentials.status.checker import StatusListCache
from rexvet_verifier.adapters.bounded_cache import ByteBoundedCache
from rexvet_verifier.adapters.deadline import DeadlineFetcher
from rexvet_verifier.adapters.fetching import fetch_policy
from rexvet_verifier.adapters.shared_fetches import SharedFetches
from rexvet_verifier.adapters.work_pool import ExecutorPool, WorkPool
from rexvet_verifier.api.admission import LagAdmission, LagControl
from rexvet_verifier.api.rate_limits import RateLimiter
from rexvet_verifier.application.status_cache_pruning import pruning_worker
from rexvet_verifier.application.trust_registry import TrustRegistry
from rexvet_verifier.application.verification import CredentialVerifier
from rexvet_verifier.consumers.handlers import CACHE_INVALIDATION, CONSUMED_TOPICS, CacheInvalidation, VerifierConsumer
from rexvet_verifier.pages import PageRenderer
from rexvet_verifier.settings import VerifierSettings


@dataclass
class VerifierContext:
    """The verifier's own objects, reached by its routes through `runtime.context`."""

    settings: VerifierSettings
    verifier: CredentialVerifier
    registry: TrustRegistry
    consumer: VerifierConsumer
    invalidation: CacheInvalidation
    pages: PageRenderer
    status_lists: StatusListCache
    pool: WorkPool
    rate_limiter: RateLimiter | None
    admission: LagAdmission | None = None


async def bootstrap(
    settings: VerifierSettings,
    *,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    keys: KeySource | None = None,
    fetcher: DocumentFetcher | None = None,
    clock: Clock | None = None,
    pool: WorkPool | None = None,
) -> ServiceRuntime:
    """`fetcher` and `clock` replace the guarded network fetcher and the system clock, `pool` the work pool (tests)."""
    platform = bootstrap_platform(settings, bus=bus, documents=documents, keys=keys)
    clock = clock or SystemClock()
    # Every document a credential names (did:web, controller documents, status lists) goes through this one fetcher.
    fetches = SharedFetches(fetcher or GuardedFetcher(fetch_policy(settings)))
    # Development's issuer is did:web:127.0.0.1%3A8003:...: read over http there, as its profiles and lists are;
    # unless the services serve TLS themselves (REXVET_TLS_CERT_FILE): then it is https, as did:web says.
    loopback_http = settings.loopback_fetch_allowed and settings.platform.tls_cert_file is None
    ports = network_ports(
        clock,
        fetcher=DeadlineFetcher(fetches),  # every fetch of one verification under its one deadline
        did_web_http_on_loopback=loopback_http,
        limits=network_limits(settings),
    )
    pool = pool or ExecutorPool(settings.cpu_pool, settings.cpu_workers)
    registry = TrustRegistry(platform.documents)
    await registry.prepare()
    verifier = CredentialVerifier(
        clock=clock,
        key_resolver=ports.key_resolver,
        status_checker=ports.status_checker,
        trusted_issuers=registry,
        cache=ByteBoundedCache(),
        fetcher=DeadlineFetcher(fetches),
        pool=pool,
        deadline_seconds=settings.verification_deadline_seconds,
        heavy_work=settings.heavy_work_nodes,
    )
    consumer = VerifierConsumer(registry)
    platform.bus.subscribe(list(CONSUMED_TOPICS), settings.consumer_group, consumer.handle)
    # Every replica's own caches: a revocation consumed by one group member must reach them all.
    invalidation = CacheInvalidation(ports.status_cache, ports.key_resolver, fetches, registry)
    platform.bus.subscribe_broadcast(list(CONSUMED_TOPICS), CACHE_INVALIDATION, invalidation.handle)
    context = VerifierContext(
        settings=settings,
        verifier=verifier,
        registry=registry,
        consumer=consumer,
        invalidation=invalidation,
        pages=PageRenderer(),
        status_lists=ports.status_cache,
        pool=pool,
        rate_limiter=rate_limiter(settings),
        admission=admission(settings),
    )
    return ServiceRuntime(
        platform,
        context=context,
        consumer_groups=[settings.consumer_group],
        workers=[("status-cache-pruning", pruning_worker(ports.status_cache, clock))],
        components=[PoolShutdown(pool), *([context.admission] if context.admission else [])],
    )


def network_limits(settings: VerifierSettings) -> NetworkLimits:
    return NetworkLimits(
        status_list_bytes=settings.status_list_cache_bytes,
        largest_status_list_bytes=settings.max_status_list_bytes,
        status_list_max_ttl=timedelta(seconds=settings.status_list_max_ttl_seconds),
        key_document_bytes=settings.key_document_cache_bytes,
        status_entries=settings.max_status_entries,
    )


def rate_limiter(settings: VerifierSettings) -> RateLimiter | None:
    if settings.rate_limit_per_minute == 0:
        return None
    return RateLimiter(
        per_minute=settings.rate_limit_per_minute,
        burst=settings.rate_limit_burst,
        max_clients=settings.rate_limit_clients,
    )


def admission(settings: VerifierSettings) -> LagAdmission | None:
    if settings.admission_target_lag_ms == 0:
        return None
    control = LagControl(
        target_lag=settings.admission_target_lag_ms / 1000,
        minimum=settings.admission_min_concurrency,
        maximum=max(settings.admission_min_concurrency, settings.admission_max_concurrency),
    )
    return LagAdmission(
        control, max_wait=settings.admission_max_wait_seconds, max_waiting=settings.admission_max_waiting
    )


class PoolShutdown:
    """Stops the work pool's processes with the service."""

    def __init__(self, pool: WorkPool) -> None:
        self._pool = pool

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._pool.close()
