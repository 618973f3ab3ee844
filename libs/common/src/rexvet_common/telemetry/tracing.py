"""Traces: one tracer provider per process, W3C trace context in HTTP headers and in the event's `traceparent`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from rexvet_common.events.envelope import CloudEvent

log = logging.getLogger(__name__)

TRACER_NAME = "rexvet"
_propagator = TraceContextTextMapPropagator()


def configure_tracing(service_name: str, otlp_endpoint: str | None) -> TracerProvider:
    """Install the process's tracer provider (once); export over OTLP/HTTP only when an endpoint is configured.

    A provider installed earlier (a test's in-memory exporter, or a second app in the same process) is kept: the
    OpenTelemetry API allows one global provider per process.
    """
    existing = trace.get_tracer_provider()
    if isinstance(existing, TracerProvider):
        return existing
    provider = build_tracer_provider(service_name, otlp_endpoint)
    trace.set_tracer_provider(provider)
    return provider


def build_tracer_provider(service_name: str, otlp_endpoint: str | None) -> TracerProvider:
    # Without an endpoint spans are still made (their ids go into logs and events) but leave the process nowhere.
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=_signal_url(otlp_endpoint, "traces"))))
        log.info("exporting traces over OTLP to %s", otlp_endpoint)
    return provider


def _signal_url(endpoint: str, signal: str) -> str:
    base = endpoint.rstrip("/")
    return base if base.endswith(f"/v1/{signal}") else f"{base}/v1/{signal}"


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER_NAME)


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the active span, for an event created now (None outside any span)."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None


def context_from_traceparent(traceparent: str | None) -> otel_context.Context | None:
    if not traceparent:
        return None
    return _propagator.extract({"traceparent": traceparent})


def context_from_headers(headers: dict[str, str]) -> otel_context.Context:
    return _propagator.extract(headers)


def _event_attributes(event: CloudEvent, topic: str) -> dict[str, str]:
    return {
        "messaging.system": "rexvet",
        "messaging.destination.name": topic,
        "messaging.message.id": event.id,
        "cloudevents.event_type": event.type,
        "cloudevents.event_source": event.source,
    }


@contextmanager
def consumer_span(event: CloudEvent, *, topic: str, group: str) -> Iterator[Span]:
    """Handle `event` inside a span that continues the trace the event was created in."""
    attributes = _event_attributes(event, topic) | {"messaging.consumer.group.name": group}
    with tracer().start_as_current_span(
        f"process {topic}",
        context=context_from_traceparent(event.traceparent),
        kind=SpanKind.CONSUMER,
        attributes=attributes,
    ) as span:
        yield span


@contextmanager
def publish_span(event: CloudEvent, *, topic: str) -> Iterator[Span]:
    """Publish inside a span of the event's own trace (the relay publishes long after the request has ended)."""
    parent = context_from_traceparent(event.traceparent)
    with tracer().start_as_current_span(
        f"send {topic}", context=parent, kind=SpanKind.PRODUCER, attributes=_event_attributes(event, topic)
    ) as span:
        yield span
