"""Traces: one tracer provider per process, W3C trace context in HTTP headers and in the event's `traceparent`."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import Token
from types import TracebackType

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import (
    NonRecordingSpan,
    NoOpTracerProvider,
    ProxyTracerProvider,
    Span,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
)
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
    # Without an endpoint no span would leave the process, so none is recorded (ALWAYS_OFF): an unsampled span still
    # has its trace and span ids, which go into logs and into the `traceparent` of the events it causes, while a
    # recorded span costs the consumer ~35 us per event for nothing (bench/engines --tracing). With an endpoint the
    # default sampler (or OTEL_TRACES_SAMPLER) applies.
    sampler = None if otlp_endpoint else ALWAYS_OFF
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}), sampler=sampler)
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
    remote = _remote_span(traceparent)
    if remote is None:
        return _propagator.extract({"traceparent": traceparent})
    return trace.set_span_in_context(remote, otel_context.Context())


# The usual `traceparent` (version 00, nothing around it), read without the propagator's general parsing: it is read
# once per consumed event. Anything else goes through the propagator.
_TRACEPARENT_V00 = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_ZERO_TRACE_ID, _ZERO_SPAN_ID = "0" * 32, "0" * 16


def _remote_span(traceparent: str) -> NonRecordingSpan | None:
    """The span a plain version-00 `traceparent` names, as the propagator would extract it; None for other values."""
    match = _TRACEPARENT_V00.fullmatch(traceparent)
    if match is None or match[1] == _ZERO_TRACE_ID or match[2] == _ZERO_SPAN_ID:
        return None
    return NonRecordingSpan(
        SpanContext(
            trace_id=int(match[1], 16),
            span_id=int(match[2], 16),
            is_remote=True,
            trace_flags=TraceFlags(int(match[3], 16)),
        )
    )


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


def consumer_span(event: CloudEvent, *, topic: str, group: str) -> AbstractContextManager[Span]:
    """Handle `event` inside a span that continues the trace the event was created in.

    The same span as `tracer().start_as_current_span(...)` would make (name, kind, parent, attributes, the exception
    recorded when the block raises), made without its layers of generator context managers: this runs once per
    consumed event. Without a tracer provider installed no span is made, but the block still runs in the event's
    trace context, as under the API's no-op tracer, so the events it creates carry that trace on.
    """
    return _ConsumerSpan(event, topic, group)


class _ConsumerSpan:
    __slots__ = ("_event", "_group", "_span", "_token", "_topic")

    def __init__(self, event: CloudEvent, topic: str, group: str) -> None:
        self._event, self._topic, self._group = event, topic, group
        self._span: Span = trace.INVALID_SPAN
        self._token: Token[otel_context.Context] | None = None

    def __enter__(self) -> Span:
        event = self._event
        active = _installed_tracer()
        if active is None:
            if event.traceparent:  # what the no-op tracer would make current: the event's own span context
                remote = _remote_span(event.traceparent)
                if remote is None:
                    self._span = trace.get_current_span(context_from_traceparent(event.traceparent))
                else:
                    self._span = remote
                self._token = otel_context.attach(trace.set_span_in_context(self._span))
            return self._span
        parent_context = context_from_traceparent(event.traceparent)
        attributes = _consumer_attributes(self._topic, self._group) | {
            "messaging.message.id": event.id,
            "cloudevents.event_type": event.type,
            "cloudevents.event_source": event.source,
        }
        self._span = active.start_span(
            f"process {self._topic}", context=parent_context, kind=SpanKind.CONSUMER, attributes=attributes
        )
        self._token = otel_context.attach(trace.set_span_in_context(self._span))
        return self._span

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._token is not None:
            otel_context.detach(self._token)
        span = self._span
        if isinstance(exc, Exception) and span.is_recording():  # as `use_span` does: errors, not cancellation
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
        span.end()


_NO_OP_PROVIDERS = (ProxyTracerProvider, NoOpTracerProvider)
_installed: tuple[trace.TracerProvider, trace.Tracer] | None = None


def _installed_tracer() -> trace.Tracer | None:
    """The tracer of the process's installed provider, or None while only the API's no-op one is there.

    The global provider can be set once only, so the tracer is looked up once it is (not once per event).
    """
    global _installed
    provider = trace.get_tracer_provider()
    if isinstance(provider, _NO_OP_PROVIDERS):
        return None
    if _installed is None or _installed[0] is not provider:
        _installed = (provider, provider.get_tracer(TRACER_NAME))
    return _installed[1]


_consumer_attributes_by_route: dict[tuple[str, str], dict[str, str]] = {}


def _consumer_attributes(topic: str, group: str) -> dict[str, str]:
    """The attributes every consumer span of one topic and group shares (built once, copied per span)."""
    route = (topic, group)
    attributes = _consumer_attributes_by_route.get(route)
    if attributes is None:
        attributes = {
            "messaging.system": "rexvet",
            "messaging.destination.name": topic,
            "messaging.consumer.group.name": group,
        }
        _consumer_attributes_by_route[route] = attributes
    return attributes


@contextmanager
def publish_span(event: CloudEvent, *, topic: str) -> Iterator[Span]:
    """Publish inside a span of the event's own trace (the relay publishes long after the request has ended)."""
    parent = context_from_traceparent(event.traceparent)
    with tracer().start_as_current_span(
        f"send {topic}", context=parent, kind=SpanKind.PRODUCER, attributes=_event_attributes(event, topic)
    ) as span:
        yield span
