"""The evidence service's ASGI app (`rexvet_evidence.app:app`); building it does no I/O."""

from __future__ import annotations

from fastapi import FastAPI

from rexvet_common.auth.jwks import KeySource
from rexvet_common.http import create_service_app
from rexvet_common.ports.event_bus import EventBus
from rexvet_evidence.api import evidence_routes, file_routes, hr_routes, queue_routes, review_routes
from rexvet_evidence.bootstrap import bootstrap
from rexvet_evidence.settings import EvidenceSettings, load_evidence_settings

ROUTERS = (
    evidence_routes.router,
    queue_routes.router,
    review_routes.router,
    file_routes.router,
    hr_routes.router,
)


def create_app(
    settings: EvidenceSettings | None = None, *, keys: KeySource | None = None, bus: EventBus | None = None
) -> FastAPI:
    """The app; tests pass settings (a temporary data directory) and an in-memory key set."""
    return create_service_app(
        title="rexvet evidence",
        description="Evidence records, HR events received, evidence files.",
        load_settings=(lambda: settings) if settings is not None else load_evidence_settings,
        bootstrap=lambda loaded: bootstrap(loaded, keys=keys, bus=bus),
        routers=ROUTERS,
        # A process's logging and tracer set-up belong to the process, not to a test that builds the app.
        configure_telemetry=settings is None,
    )


app = create_app()
