"""The verifier service's ASGI app (`rexvet_verifier.app:app`); building it does no I/O."""

from __future__ import annotations

from fastapi import FastAPI

from rexvet_common.auth.jwks import KeySource
from rexvet_common.http import create_service_app
from rexvet_verifier.bootstrap import bootstrap
from rexvet_verifier.settings import VerifierSettings, load_verifier_settings


def create_app(settings: VerifierSettings | None = None, *, keys: KeySource | None = None) -> FastAPI:
    return create_service_app(
        title="rexvet verifier",
        description="Public verification of Open Badges 3.0 credentials against the consortium's trust registry.",
        load_settings=(lambda: settings) if settings is not None else load_verifier_settings,
        bootstrap=lambda loaded: bootstrap(loaded, keys=keys),
        # A process's logging and tracer set-up belong to the process, not to a test that builds the app.
        configure_telemetry=settings is None,
    )


app = create_app()
