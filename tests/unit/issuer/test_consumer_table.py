"""The issuer's consumer group dispatches through its table: every type on its topics is handled or ignored on
purpose, and every handler can be reached."""

from __future__ import annotations

import pytest

from rexvet_common.events import topics
from rexvet_common.events.catalogue import BY_TYPE, EVENT_TYPES, STEP_COMPLETED, StepCompleted
from rexvet_common.events.envelope import new_event, partition_key
from rexvet_issuer.application import credentials
from rexvet_issuer.consumers.handlers import CONSUMED_TOPICS, HANDLERS, IGNORED_TYPES

from .harness import GROUP, Issuer

pytestmark = pytest.mark.unit


def test_every_type_on_a_consumed_topic_has_a_handler_or_is_ignored_on_purpose() -> None:
    carried = {event.type for event in EVENT_TYPES if event.topic in CONSUMED_TOPICS}
    unaccounted = carried - HANDLERS.keys() - IGNORED_TYPES
    assert not unaccounted, f"add a handler to HANDLERS or the type to IGNORED_TYPES: {sorted(unaccounted)}"
    assert not HANDLERS.keys() & IGNORED_TYPES, "a type is either handled or ignored"


def test_no_handler_is_dead() -> None:
    for event_type in (*HANDLERS, *IGNORED_TYPES):
        assert event_type in BY_TYPE, f"{event_type} is not in the catalogue"
        assert BY_TYPE[event_type].topic in CONSUMED_TOPICS, f"{event_type} travels on a topic this group never reads"
    used_topics = {BY_TYPE[event_type].topic for event_type in HANDLERS}
    assert used_topics == set(CONSUMED_TOPICS), "a consumed topic with no handled type is read for nothing"


async def test_an_ignored_type_is_consumed_and_changes_nothing(issuer: Issuer) -> None:
    event = new_event(
        type=STEP_COMPLETED,
        source="rexvet/test",
        key=partition_key(issuer.tenant, "s-1"),
        data=StepCompleted(
            institution=issuer.tenant,
            staff_id="s-1",
            enrolment_id="e-1",
            badge_id="abroad-rookie",
            step_id="plan",
            completed_by="s-1",
            signed_off=False,
        ).model_dump(mode="json"),
    )
    await issuer.bus.publish(topics.COACHING, event)
    await issuer.settled()

    assert not any((await issuer.bus.consumer_lag(GROUP)).values())
    assert not await issuer.documents.count(credentials.COLLECTION, {})
    assert not issuer.emitted
