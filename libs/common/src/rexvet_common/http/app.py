"""`create_service_app(...)`: every service's FastAPI app is built the same way.

Importing a service's `app` module does no I/O: settings are read, adapters built and background work started in the
lifespan, so tests can build an app, and `uvicorn` imports it, without side effects.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request

from rexvet_common.http.docs import install_offline_docs
from rexvet_common.http.edge import RequestEdge
from rexvet_common.http.health import health_router
from rexvet_common.http.json_bodies import require_json_body
from rexvet_common.http.problem_openapi import install_problem_openapi
from rexvet_common.problems import Problem, install_problem_handlers
from rexvet_common.settings import ServiceSettings
from rexvet_common.telemetry.logs import configure_logging
from rexvet_common.telemetry.metrics import configure_metrics
from rexvet_common.telemetry.tracing import configure_tracing
from rexvet_common.wiring.runtime import ServiceRuntime

log = logging.getLogger(__name__)

S = TypeVar("S", bound=ServiceSettings)


def configure_process_telemetry(settings: ServiceSettings) -> None:
    platform = settings.platform
    configure_logging(settings.service_name, level=platform.log_level, json_lines=platform.log_format.value == "json")
    configure_tracing(f"rexvet-{settings.service_name}", platform.otlp_endpoint)
    configure_metrics(f"rexvet-{settings.service_name}", platform.otlp_endpoint)


def create_service_app(
    *,
    title: str,
    description: str,
    load_settings: Callable[[], S],
    bootstrap: Callable[[S], Awaitable[ServiceRuntime]],
    routers: Sequence[APIRouter] = (),
    version: str = "0.1.0",
    configure_telemetry: bool = True,
    stored_bodies: bool = True,
) -> FastAPI:
    """An app whose lifespan loads settings, runs `bootstrap(settings)`, starts its runtime and stops it at exit.

    `stored_bodies=False` for a service that keeps nothing it is sent: the edge then refuses only what no encoder
    takes (deep nesting, lone surrogates), not what only the stores refuse (see `rexvet_common.http.edge`).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = load_settings()
        if configure_telemetry:
            configure_process_telemetry(settings)
            if settings.platform.otlp_endpoint is None:
                export_nothing_per_request(app)
        app.state.settings = settings  # the request edge reads max_body_bytes from it
        runtime = await bootstrap(settings)
        app.state.runtime = runtime
        app.state.token_verifier = runtime.platform.token_verifier
        await runtime.start()
        log.info("%s ready on %s:%s", title, settings.host, settings.port)
        try:
            yield
        finally:
            await runtime.stop()
            log.info("%s stopped", title)

    # FastAPI's own /docs and /redoc load their scripts from a CDN: ours are served by the service (offline too).
    # Every route checks that a JSON body is declared as JSON (415 otherwise), before FastAPI validates it.
    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(require_json_body)],
    )
    install_problem_handlers(app)
    # Before anything else sees the request: the token, the body's size and its storability (http/edge.py).
    app.add_middleware(RequestEdge, service=app, stored_bodies=stored_bodies)
    install_offline_docs(app)
    install_problem_openapi(app)
    app.include_router(health_router())
    for router in routers:
        app.include_router(router)
    return app


def export_nothing_per_request(app: FastAPI) -> None:
    """Without an OTLP endpoint, FastAPI's native telemetry keeps only the request span (unsampled, so nothing is
    recorded, but its trace and span ids go into the logs and into the events a request causes).

    Its request metrics would go to a meter provider with no reader, and its spans around each dependency, the
    endpoint and the serialisation would be unsampled children of the request span: about 5 % of what a
    `POST /v1/verify` cost (bench/verifier), for nothing that leaves the process. FastAPI reads its telemetry
    settings on every request from this mapping, so they can change once the settings are known (in the lifespan).
    """
    app._telemetry["metrics"] = False
    app._telemetry["operation_spans"] = False


def runtime_from(request: Request) -> ServiceRuntime:
    runtime = getattr(request.app.state, "runtime", None)
    if not isinstance(runtime, ServiceRuntime):
        raise Problem("the service has not finished starting", status=503)
    return runtime
