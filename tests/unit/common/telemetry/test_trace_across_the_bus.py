"""One trace id from the HTTP request through the outbox and the event log into the consumer it causes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping

import pytest
from common.service_harness import TokenFactory, bearer, running
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from opentelemetry.util.types import AnyValue

from rexvet_coaching.app import create_app as create_coaching_app
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app as create_evidence_app
from rexvet_evidence.settings import EvidenceSettings

pytestmark = pytest.mark.unit


_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """This test's spans, recorded in memory by the process's one tracer provider (installed here if none is).

    The exporter is attached once per process: a provider keeps its processors for good.
    """
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    if not getattr(provider, "_rexvet_test_exporter", False):
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        provider._rexvet_test_exporter = True  # type: ignore[attr-defined]
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


def find(spans: tuple[ReadableSpan, ...], kind: SpanKind, name_part: str) -> list[ReadableSpan]:
    return [span for span in spans if span.kind == kind and name_part in span.name]


def attributes(span: ReadableSpan) -> Mapping[str, AnyValue]:
    """A span's attributes; a span recorded without any has none to look up."""
    return span.attributes or {}


async def test_one_trace_spans_the_request_the_bus_and_the_consumer(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory, spans: InMemorySpanExporter
) -> None:
    # Two services, as in `make run`: each its own app and adapters, sharing only the event log file.
    evidence = create_evidence_app(EvidenceSettings(platform=platform), keys=trusted_keys)
    coaching = create_coaching_app(CoachingSettings(platform=platform), keys=trusted_keys)
    token = make_token()
    async with running(evidence) as evidence_http, running(coaching) as coaching_http:
        created = await evidence_http.post(
            "/v1/evidence", json={"title": "Led a virtual exchange"}, headers=bearer(token)
        )
        assert created.status_code == 201, created.text
        evidence_id = created.json()["id"]
        for _ in range(400):  # the consumer runs in the background; wait for its effect, not for a time
            seen = await coaching_http.get("/v1/staff/alice/evidence", headers=bearer(token))
            if [item["evidence_id"] for item in seen.json()["items"]] == [evidence_id]:
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail(f"coaching never recorded the evidence: {seen.text}")

    finished = spans.get_finished_spans()
    [request] = find(finished, SpanKind.SERVER, "POST /v1/evidence")
    [published] = find(finished, SpanKind.PRODUCER, "rexvet.evidence.v1")
    consumed = [
        span
        for span in find(finished, SpanKind.CONSUMER, "rexvet.evidence.v1")
        if attributes(span).get("messaging.message.id") == attributes(published)["messaging.message.id"]
    ]
    assert consumed, "no consumer span for the published event"
    trace_id = request.context.trace_id
    assert published.context.trace_id == trace_id
    assert all(span.context.trace_id == trace_id for span in consumed)
    assert attributes(consumed[0])["messaging.consumer.group.name"] == "coaching"
    assert attributes(request)["http.route"] == "/v1/evidence"
    assert attributes(request)["http.response.status_code"] == 201


async def test_a_callers_traceparent_is_continued(
    platform: PlatformSettings, trusted_keys: StaticJwks, make_token: TokenFactory, spans: InMemorySpanExporter
) -> None:
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    traceparent = f"00-{caller_trace}-00f067aa0ba902b7-01"
    evidence = create_evidence_app(EvidenceSettings(platform=platform), keys=trusted_keys)
    async with running(evidence) as http:
        response = await http.get("/healthz", headers={"traceparent": traceparent})
    assert response.status_code == 200
    [server] = find(spans.get_finished_spans(), SpanKind.SERVER, "GET /healthz")
    assert format(server.context.trace_id, "032x") == caller_trace
