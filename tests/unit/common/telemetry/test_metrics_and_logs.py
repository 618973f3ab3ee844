"""Event metrics (processed / failed / dead-lettered, consumer lag), JSON logs with trace ids, OTLP export."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.messaging.delivery import deliver
from rexvet_common.ports.event_bus import RetryPolicy
from rexvet_common.settings import PlatformSettings, ServiceSettings
from rexvet_common.telemetry.logs import JsonFormatter
from rexvet_common.telemetry.metrics import build_meter_provider
from rexvet_common.telemetry.tracing import build_tracer_provider
from rexvet_common.wiring import ServiceRuntime, bootstrap_platform

pytestmark = pytest.mark.unit

_READER = InMemoryMetricReader()


@pytest.fixture
def metric_reader() -> InMemoryMetricReader:
    """The process's meter provider reads into memory (installed here once; a provider keeps its readers)."""
    provider = metrics.get_meter_provider()
    if not isinstance(provider, MeterProvider):
        metrics.set_meter_provider(MeterProvider(metric_readers=[_READER]))
    elif not getattr(provider, "_rexvet_test_reader", False):
        pytest.skip("another meter provider was installed first in this process")
    metrics.get_meter_provider()._rexvet_test_reader = True  # type: ignore[attr-defined]
    return _READER


def points(reader: InMemoryMetricReader, name: str, **attributes: Any) -> list[Any]:
    data = reader.get_metrics_data()
    found = []
    for resource in data.resource_metrics if data else []:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                if metric.name == name:
                    found += [
                        point
                        for point in metric.data.data_points
                        if all((point.attributes or {}).get(k) == v for k, v in attributes.items())
                    ]
    return found


def total(reader: InMemoryMetricReader, name: str, group: str) -> int:
    return sum(point.value for point in points(reader, name, **{"messaging.consumer.group.name": group}))


def event(key: str = "omnia:alice") -> CloudEvent:
    return new_event(type="org.rexvet.evidence.submitted.v1", source="test", key=key, data={})


async def test_delivery_counts_processed_failed_and_dead_lettered(metric_reader: InMemoryMetricReader) -> None:
    dead_letters: list[tuple[str, CloudEvent]] = []

    async def publish(topic: str, dead: CloudEvent) -> None:
        dead_letters.append((topic, dead))

    calls = 0

    async def flaky(_: CloudEvent) -> None:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise RuntimeError("not yet")

    async def poison(_: CloudEvent) -> None:
        raise ValueError("never")

    policy = RetryPolicy(max_attempts=3, initial_backoff_seconds=0.001, max_backoff_seconds=0.001)
    group = "metrics-test"
    before = {name: total(metric_reader, name, group) for name in ("processed", "failed", "dead_lettered")}
    assert before == {"processed": 0, "failed": 0, "dead_lettered": 0}

    await deliver(event(), flaky, policy, topic="t", group=group, publish=publish)
    await deliver(event(), poison, policy, topic="t", group=group, publish=publish)

    assert total(metric_reader, "rexvet.events.processed", group) == 1
    assert total(metric_reader, "rexvet.events.failed", group) == 2 + 3
    assert total(metric_reader, "rexvet.events.dead_lettered", group) == 1
    assert [topic for topic, _ in dead_letters] == ["t.dlq.metrics-test"]


async def test_the_runtime_reports_consumer_lag_from_the_event_log(
    metric_reader: InMemoryMetricReader, tmp_path: Path
) -> None:
    settings = ServiceSettings(service_name="lagging", platform=PlatformSettings(data_dir=tmp_path))
    bus = SqliteEventLog(tmp_path / "events.sqlite3")
    for _ in range(3):
        await bus.publish("rexvet.evidence.v1", event())
    release = asyncio.Event()

    async def stuck(_: CloudEvent) -> None:
        await release.wait()  # holds the first event: nothing gets acknowledged while the lag is read

    platform = bootstrap_platform(settings, bus=bus, documents=SqliteDocumentStore(tmp_path / "documents.sqlite3"))
    platform.bus.subscribe(["rexvet.evidence.v1"], "lag-test", stuck)
    runtime = ServiceRuntime(platform, consumer_groups=["lag-test"])
    await runtime.start()
    try:
        for _ in range(200):
            lag = points(metric_reader, "rexvet.events.consumer_lag", **{"messaging.consumer.group.name": "lag-test"})
            if lag:
                break
            await asyncio.sleep(0.05)
        assert [(p.attributes["messaging.destination.name"], p.value) for p in lag] == [("rexvet.evidence.v1", 3)]
    finally:
        release.set()
        await runtime.stop()


def test_json_logs_carry_the_trace_and_span_ids_and_extras() -> None:
    provider = TracerProvider()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("evidence"))
    logger = logging.getLogger("rexvet.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with provider.get_tracer("test").start_as_current_span("work") as span:
            logger.warning("inside %s", "a span", extra={"event_id": "e-1"})
        logger.warning("outside")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["message"] == "inside a span"
    assert inside["service"] == "evidence"
    assert inside["level"] == "WARNING"
    assert inside["event_id"] == "e-1"
    assert inside["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert inside["span_id"] == format(span.get_span_context().span_id, "016x")
    assert "trace_id" not in outside


@pytest.fixture
def otlp_collector() -> Iterator[tuple[str, list[tuple[str, str, bytes]]]]:
    """A stand-in OTLP/HTTP collector on loopback that records what it is sent."""
    received: list[tuple[str, str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            received.append((self.path, self.headers.get("content-type", ""), body))
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_traces_and_metrics_go_over_otlp_when_an_endpoint_is_configured(
    otlp_collector: tuple[str, list[tuple[str, str, bytes]]],
) -> None:
    endpoint, received = otlp_collector
    tracer_provider = build_tracer_provider("rexvet-evidence", endpoint)
    with tracer_provider.get_tracer("test").start_as_current_span("exported-span"):
        pass
    assert tracer_provider.force_flush()
    meter_provider = build_meter_provider("rexvet-evidence", endpoint)
    meter_provider.get_meter("test").create_counter("exported.counter").add(1)
    assert meter_provider.force_flush()
    tracer_provider.shutdown()
    meter_provider.shutdown()

    paths = {path for path, _, _ in received}
    assert {"/v1/traces", "/v1/metrics"} <= paths
    traces = b"".join(body for path, _, body in received if path == "/v1/traces")
    assert b"exported-span" in traces and b"rexvet-evidence" in traces
    assert all(content_type == "application/x-protobuf" for _, content_type, _ in received)


async def test_http_requests_are_measured_per_route(metric_reader: InMemoryMetricReader, tmp_path: Path) -> None:
    from common.service_harness import running

    from rexvet_verifier.app import create_app
    from rexvet_verifier.settings import VerifierSettings

    app = create_app(VerifierSettings(platform=PlatformSettings(data_dir=tmp_path / "var")))
    async with running(app) as http:
        for _ in range(3):
            assert (await http.get("/healthz")).status_code == 200
    [duration] = points(metric_reader, "http.server.request.duration", **{"http.route": "/healthz"})
    assert duration.count >= 3
