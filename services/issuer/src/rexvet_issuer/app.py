"""The issuer service's ASGI app (`rexvet_issuer.app:app`); building it does no I/O."""

from __future__ import annotations

from fastapi import FastAPI

from rexvet_common.auth.jwks import KeySource
from rexvet_common.http import create_service_app
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_issuer.api import admin_routes, ob_routes, public_routes, vc_routes
from rexvet_issuer.api.ob_status import install_imsx_errors
from rexvet_issuer.bootstrap import bootstrap
from rexvet_issuer.settings import IssuerSettings, load_issuer_settings
from rexvet_issuer.token_service import api as token_api
from rexvet_issuer.token_service import authorize
from rexvet_issuer.wallet.api import exchanges_api, offers_api, oid4vci

ROUTERS = (
    token_api.router,
    authorize.router,
    public_routes.router,
    admin_routes.router,
    ob_routes.router,
    vc_routes.router,
    oid4vci.router,
    offers_api.router,
    exchanges_api.router,
)


def create_app(
    settings: IssuerSettings | None = None,
    *,
    keys: KeySource | None = None,
    bus: EventBus | None = None,
    documents: DocumentStore | None = None,
) -> FastAPI:
    """The app; tests pass settings (a temporary data directory), an in-memory key set and, if they like, adapters."""
    app = create_service_app(
        title="rexvet issuer",
        description="Issuer profiles and keys, issued Open Badges 3.0 credentials, status lists; the embedded "
        "OAuth 2.0 token service; the Open Badges 3.0 API (/ims/ob/v3p0).",
        load_settings=(lambda: settings) if settings is not None else load_issuer_settings,
        bootstrap=lambda loaded: bootstrap(loaded, keys=keys, bus=bus, documents=documents),
        routers=ROUTERS,
        # A process's logging and tracer set-up belong to the process, not to a test that builds the app.
        configure_telemetry=settings is None,
    )
    install_imsx_errors(app)  # the OB 3.0 API (/ims/ob/v3p0) answers its errors as Imsx_StatusInfo
    return app


app = create_app()
