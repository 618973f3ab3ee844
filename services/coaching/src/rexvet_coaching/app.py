"""The coaching service's ASGI app (`rexvet_coaching.app:app`); building it does no I/O."""

from __future__ import annotations

from fastapi import FastAPI

from rexvet_coaching import received_evidence_api
from rexvet_coaching.bootstrap import bootstrap
from rexvet_coaching.settings import CoachingSettings, load_coaching_settings
from rexvet_common.auth.jwks import KeySource
from rexvet_common.http import create_service_app
from rexvet_common.ports.event_bus import EventBus

ROUTERS = (received_evidence_api.router,)


def create_app(
    settings: CoachingSettings | None = None, *, keys: KeySource | None = None, bus: EventBus | None = None
) -> FastAPI:
    """The app; tests pass settings (a temporary data directory) and an in-memory key set."""
    return create_service_app(
        title="rexvet coaching",
        description="The career ladder: framework, enrolments, progress and badge eligibility.",
        load_settings=(lambda: settings) if settings is not None else load_coaching_settings,
        bootstrap=lambda loaded: bootstrap(loaded, keys=keys, bus=bus),
        routers=ROUTERS,
    )


app = create_app()
