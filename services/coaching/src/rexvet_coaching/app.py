"""The coaching service's ASGI app (`rexvet_coaching.app:app`); building it does no I/O."""

from __future__ import annotations

from fastapi import FastAPI

from rexvet_coaching.api import (
    directory_routes,
    framework_routes,
    pathway_routes,
    people_routes,
    problems,
    received_evidence_routes,
)
from rexvet_coaching.application.service import Clock, system_clock
from rexvet_coaching.bootstrap import bootstrap
from rexvet_coaching.settings import CoachingSettings, load_coaching_settings
from rexvet_common.auth.jwks import KeySource
from rexvet_common.http import create_service_app
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus

ROUTERS = (
    framework_routes.router,
    pathway_routes.router,
    people_routes.router,
    directory_routes.router,
    received_evidence_routes.router,
)


def create_app(
    settings: CoachingSettings | None = None,
    *,
    keys: KeySource | None = None,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
    clock: Clock = system_clock,
) -> FastAPI:
    """The app; tests pass settings (a temporary data directory), an in-memory key set and, if they like, adapters."""
    app = create_service_app(
        title="rexvet coaching",
        description="The career ladder: framework, enrolments, progress and badge eligibility.",
        load_settings=(lambda: settings) if settings is not None else load_coaching_settings,
        bootstrap=lambda loaded: bootstrap(loaded, keys=keys, bus=bus, documents=documents, clock=clock),
        routers=ROUTERS,
        # A process's logging and tracer set-up belong to the process, not to a test that builds the app.
        configure_telemetry=settings is None,
    )
    problems.install(app)
    return app


app = create_app()
