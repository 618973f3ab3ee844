"""The portal's ASGI app (`rexvet_portal.app:app`); building it does no I/O."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from rexvet_common.http import create_service_app
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.wiring import ServiceRuntime
from rexvet_portal.api import auth_routes, coach_routes, page_routes, pathway_routes
from rexvet_portal.api.errors import install_error_pages
from rexvet_portal.api.i18n import install_caller_language
from rexvet_portal.application.ports import Clock
from rexvet_portal.bootstrap import bootstrap
from rexvet_portal.settings import PortalSettings, load_portal_settings

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: PortalSettings | None = None,
    *,
    documents: DocumentStore | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The app; tests pass settings, a document store and a transport that answers the services in-process."""

    def boot(loaded: PortalSettings) -> Awaitable[ServiceRuntime]:
        return bootstrap(loaded, documents=documents, transport=transport, clock=clock or time.time)

    app = create_service_app(
        title="rexvet portal",
        description="The web application for staff and coaches: sign-in, my ladder, badges, self-assessment, "
        "pathways, my badges; the coach's queue, coachees, evidence review and sign-offs.",
        load_settings=(lambda: settings) if settings is not None else load_portal_settings,
        bootstrap=boot,
        routers=(auth_routes.router, page_routes.router, pathway_routes.router, coach_routes.router),
        configure_telemetry=settings is None,
    )
    install_error_pages(app)
    install_caller_language(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


app = create_app()
