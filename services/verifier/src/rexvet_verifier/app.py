"""The verifier service's ASGI app (`rexvet_verifier.app:app`); building it does no I/O."""

from __future__ import annotations

from fastapi import FastAPI

from rexvet_common.auth.jwks import KeySource
from rexvet_common.http import create_service_app
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_credentials.ports import Clock, DocumentFetcher
from rexvet_verifier.adapters.work_pool import WorkPool
from rexvet_verifier.api import page_routes, verify_routes
from rexvet_verifier.api.admission_edge import AdmissionEdge
from rexvet_verifier.api.rate_limiting import RateLimitEdge
from rexvet_verifier.bootstrap import bootstrap
from rexvet_verifier.settings import VerifierSettings, load_verifier_settings

ROUTERS = (verify_routes.router, page_routes.router)


def create_app(
    settings: VerifierSettings | None = None,
    *,
    keys: KeySource | None = None,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    fetcher: DocumentFetcher | None = None,
    clock: Clock | None = None,
    pool: WorkPool | None = None,
) -> FastAPI:
    """The app; tests pass settings (a temporary data directory) and, if they like, adapters, a fetcher, a clock."""
    app = create_service_app(
        title="rexvet verifier",
        description="Public verification of Open Badges 3.0 credentials against the consortium's trust registry.",
        load_settings=(lambda: settings) if settings is not None else load_verifier_settings,
        bootstrap=lambda loaded: bootstrap(
            loaded, keys=keys, bus=bus, documents=documents, fetcher=fetcher, clock=clock, pool=pool
        ),
        routers=ROUTERS,
        # A process's logging and tracer set-up belong to the process, not to a test that builds the app.
        configure_telemetry=settings is None,
        stored_bodies=False,  # it verifies what it is sent and keeps none of it
    )
    # Inside the rate limit: a request within its client's rate waits for its turn, its body still unread.
    app.add_middleware(AdmissionEdge)
    # Outermost: a client over its rate is answered before its body is read.
    app.add_middleware(RateLimitEdge)
    return app


app = create_app()
