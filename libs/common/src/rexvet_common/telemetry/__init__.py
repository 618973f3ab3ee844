"""Telemetry: OpenTelemetry traces and metrics, JSON logs carrying trace ids.

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
