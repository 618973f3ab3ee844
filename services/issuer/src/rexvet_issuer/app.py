"""The issuer service's ASGI app (`rexvet_issuer.app:app`); building it does no I/O."""

from __future__ import annotations

from fastapi import FastAPI

from rexvet_common.auth.jwks import KeySource
from rexvet_common.http import create_service_app
from rexvet_issuer.bootstrap import bootstrap
from rexvet_issuer.settings import IssuerSettings, load_issuer_settings
from rexvet_issuer.token_service import api as token_api

ROUTERS = (token_api.router,)


def create_app(settings: IssuerSettings | None = None, *, keys: KeySource | None = None) -> FastAPI:
    return create_service_app(
        title="rexvet issuer",
        description="Issuer profiles and keys, issued Open Badges 3.0 credentials, status lists; the embedded "
        "OAuth 2.0 token service.",
        load_settings=(lambda: settings) if settings is not None else load_issuer_settings,
        bootstrap=lambda loaded: bootstrap(loaded, keys=keys),
        routers=ROUTERS,
        # A process's logging and tracer set-up belong to the process, not to a test that builds the app.
        configure_telemetry=settings is None,
    )


app = create_app()
