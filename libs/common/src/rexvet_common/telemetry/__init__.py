"""Telemetry: OpenTelemetry traces and metrics, JSON logs carrying trace ids.

HTTP server spans (continuing a caller's `traceparent`) and HTTP metrics are FastAPI's own native instrumentation;
this package installs the providers it reports to and adds the bus side.

One trace follows a request from HTTP through the event bus into the consumer it causes: the outbox stores
`current_traceparent()` in the event, and `consumer_span(event, ...)` continues that trace where the event is handled.
"""

from rexvet_common.telemetry.tracing import (
    configure_tracing,
    consumer_span,
    current_trace_id,
    current_traceparent,
    publish_span,
)

__all__ = ["configure_tracing", "consumer_span", "current_trace_id", "current_traceparent", "publish_span"]
