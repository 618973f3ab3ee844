"""Adding events to a document's outbox and removing exactly the published ones."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider

from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.messaging.outbox import (
    OUTBOX_FIELD,
    PENDING_FIELD,
    SINCE_FIELD,
    add_to_outbox,
    pending_events,
    without_events,
)

pytestmark = pytest.mark.unit

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def event(n: int, traceparent: str | None = None) -> CloudEvent:
    return new_event(
        type="org.rexvet.test.unit.v1", source="rexvet/unit", key="inst:1", data={"n": n}, traceparent=traceparent
    )


def test_events_are_appended_in_order_without_touching_the_original() -> None:
    original = {"_id": "r1", "state": "submitted"}
    first, second = event(1), event(2)
    document = add_to_outbox(add_to_outbox(original, "rexvet.evidence.v1", first), "rexvet.hr.v1", second)
    assert original == {"_id": "r1", "state": "submitted"}
    assert document[PENDING_FIELD] is True and document["state"] == "submitted"
    assert [(t, e.id) for t, e in pending_events(document)] == [
        ("rexvet.evidence.v1", first.id),
        ("rexvet.hr.v1", second.id),
    ]


def test_the_oldest_pending_event_dates_the_document() -> None:
    document = add_to_outbox({"_id": "r1"}, "t", event(1))
    since = document[SINCE_FIELD]
    assert add_to_outbox(document, "t", event(2))[SINCE_FIELD] == since
    cleared = without_events(document, {e.id for _, e in pending_events(document)})
    assert cleared[SINCE_FIELD] is None


def test_the_traceparent_is_taken_from_the_span_active_when_the_event_is_added() -> None:
    tracer = TracerProvider().get_tracer("unit")
    with tracer.start_as_current_span("request") as span:
        document = add_to_outbox({"_id": "r1"}, "t", event(1))
        kept = add_to_outbox({"_id": "r2"}, "t", event(2, traceparent=TRACEPARENT))
    [(_, captured)] = pending_events(document)
    assert captured.traceparent is not None
    assert captured.traceparent.split("-")[1] == format(span.get_span_context().trace_id, "032x")
    assert pending_events(kept)[0][1].traceparent == TRACEPARENT


def test_outside_any_span_there_is_no_traceparent() -> None:
    [(_, captured)] = pending_events(add_to_outbox({"_id": "r1"}, "t", event(1)))
    assert captured.traceparent is None


def test_only_the_published_events_are_removed() -> None:
    first, second = event(1), event(2)
    document = add_to_outbox(add_to_outbox({"_id": "r1"}, "t", first), "t", second)
    partly = without_events(document, {first.id})
    assert [e.id for _, e in pending_events(partly)] == [second.id]
    assert partly[PENDING_FIELD] is True and partly[SINCE_FIELD] == document[SINCE_FIELD]
    fully = without_events(partly, {second.id})
    assert fully[OUTBOX_FIELD] == [] and fully[PENDING_FIELD] is False
