"""A small ASGI middleware: one server span and the request metrics per HTTP request.

It continues a `traceparent` sent by the caller, and names the span after the matched route (not the raw path) so
that traces group by operation.
"""

from __future__ import annotations

import time

from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rexvet_common.telemetry.metrics import http_duration, http_requests
from rexvet_common.telemetry.tracing import context_from_headers, tracer


class TelemetryMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope.get("headers", [])}
        method = scope.get("method", "GET")
        status_code = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = int(message["status"])
            await send(message)

        with tracer().start_as_current_span(
            f"{method} {scope.get('path', '')}",
            context=context_from_headers(headers),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": scope.get("path", "")},
        ) as span:
            try:
                await self.app(scope, receive, send_with_status)
            finally:
                route = scope.get("route")
                route_path = getattr(route, "path", None) or "unmatched"
                span.update_name(f"{method} {route_path}")
                span.set_attribute("http.route", route_path)
                span.set_attribute("http.response.status_code", status_code)
                if status_code >= 500:
                    span.set_status(Status(StatusCode.ERROR))
                attributes = {"http.request.method": method, "http.route": route_path, "status": status_code}
                http_requests.add(1, attributes)
                http_duration.record(time.perf_counter() - started, attributes)
