"""Spans are recorded only when they can leave the process; their ids travel either way."""

from __future__ import annotations

import pytest

from rexvet_common.telemetry.tracing import build_tracer_provider

pytestmark = pytest.mark.unit


def test_without_an_endpoint_spans_are_not_recorded_but_keep_their_ids() -> None:
    tracer = build_tracer_provider("test", None).get_tracer("test")
    with tracer.start_as_current_span("request") as parent, tracer.start_as_current_span("child") as child:
        assert not parent.is_recording()
        context = child.get_span_context()
        assert context.is_valid
        assert context.trace_id == parent.get_span_context().trace_id


def test_with_an_endpoint_spans_are_recorded() -> None:
    provider = build_tracer_provider("test", "http://127.0.0.1:4318")
    try:
        # Not ended, so the exporter has nothing to send to the endpoint (no collector listens there).
        span = provider.get_tracer("test").start_span("request")
        assert span.is_recording()
    finally:
        provider.shutdown()
