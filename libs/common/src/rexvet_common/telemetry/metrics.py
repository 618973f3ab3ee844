"""Metrics: events published / processed / failed / dead-lettered, consumer lag.

HTTP request spans and metrics come from FastAPI's native OpenTelemetry support (it uses the global providers that
`configure_tracing` / `configure_metrics` install), so they are not repeated here.

Instruments come from the API's global meter, so they are cheap no-ops until `configure_metrics` installs a provider;
metrics leave the process only when an OTLP endpoint is configured.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource

log = logging.getLogger(__name__)

METER_NAME = "rexvet"
_meter = metrics.get_meter(METER_NAME)

events_published = _meter.create_counter("rexvet.events.published", unit="{event}", description="Events published")
events_processed = _meter.create_counter(
    "rexvet.events.processed", unit="{event}", description="Events a consumer handled successfully"
)
events_failed = _meter.create_counter(
    "rexvet.events.failed", unit="{attempt}", description="Handler attempts that raised (retried or dead-lettered)"
)
events_dead_lettered = _meter.create_counter(
    "rexvet.events.dead_lettered", unit="{event}", description="Events sent to a dead-letter topic after every retry"
)

# The latest lag per (group, topic), refreshed by the service runtime's poller and read by the observable gauge.
_consumer_lag: dict[tuple[str, str], int] = {}


def record_consumer_lag(group: str, lag_by_topic: dict[str, int]) -> None:
    for topic, lag in lag_by_topic.items():
        _consumer_lag[(group, topic)] = lag


def _observe_lag(options: CallbackOptions) -> Iterable[Observation]:
    return [
        Observation(lag, {"messaging.consumer.group.name": group, "messaging.destination.name": topic})
        for (group, topic), lag in sorted(_consumer_lag.items())
    ]


_meter.create_observable_gauge(
    "rexvet.events.consumer_lag",
    callbacks=[_observe_lag],
    unit="{event}",
    description="Events not yet acknowledged by a consumer group (where the backend can tell)",
)


def configure_metrics(
    service_name: str, otlp_endpoint: str | None, extra_readers: Sequence[MetricReader] = ()
) -> MeterProvider | None:
    """Install the process's meter provider once; None when one was installed before (kept as it is)."""
    if isinstance(metrics.get_meter_provider(), MeterProvider):
        return None
    provider = build_meter_provider(service_name, otlp_endpoint, extra_readers)
    metrics.set_meter_provider(provider)
    return provider


def build_meter_provider(
    service_name: str, otlp_endpoint: str | None, extra_readers: Sequence[MetricReader] = ()
) -> MeterProvider:
    readers: list[MetricReader] = list(extra_readers)
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        endpoint = otlp_endpoint.rstrip("/")
        if not endpoint.endswith("/v1/metrics"):
            endpoint += "/v1/metrics"
        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=endpoint)))
        log.info("exporting metrics over OTLP to %s", otlp_endpoint)
    return MeterProvider(resource=Resource.create({"service.name": service_name}), metric_readers=readers)
