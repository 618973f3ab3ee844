"""The issuer's consumer group dispatches through its table: every type on its topics is handled or ignored on
purpose, and every handler can be reached."""

from __future__ import annotations

import pytest
from testkit.consumer_tables import assert_every_type_is_accounted_for, assert_no_handler_is_dead

from rexvet_common.events import topics
from rexvet_common.events.catalogue import STEP_COMPLETED, StepCompleted
from rexvet_common.events.envelope import new_event, partition_key
from rexvet_issuer.application import credentials
from rexvet_issuer.consumers.handlers import CONSUMED_TOPICS, HANDLERS, IGNORED_TYPES

from .harness import GROUP, Issuer

pytestmark = pytest.mark.unit


def test_every_type_on_a_consumed_topic_has_a_handler_or_is_ignored_on_purpose() -> None:
    assert_every_type_is_accounted_for(HANDLERS, IGNORED_TYPES, CONSUMED_TOPICS, table="issuer")


def test_no_handler_is_dead() -> None:
    assert_no_handler_is_dead(HANDLERS, IGNORED_TYPES, CONSUMED_TOPICS, table="issuer")


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
