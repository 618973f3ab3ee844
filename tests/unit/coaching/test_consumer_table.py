"""Coaching's consumer group dispatches through its table: every type on its topics is handled or ignored on
purpose, every handler can be reached, and the table and the published schemas name the same types."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit.consumer_tables import assert_every_type_is_accounted_for, assert_no_handler_is_dead

from rexvet_coaching import events
from rexvet_coaching.application import received_evidence
from rexvet_coaching.application.records import COLLECTION as RECORDS
from rexvet_coaching.consumers.handlers import CONSUMED_TOPICS, HANDLERS, IGNORED_TYPES
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events import topics
from rexvet_common.events.catalogue import BY_TYPE, ISSUER_PROFILE_PUBLISHED, IssuerProfilePublished

from .harness import coaching_app, eventually

pytestmark = pytest.mark.unit

GROUP = "coaching-table-test"


def test_every_type_on_a_consumed_topic_has_a_handler_or_is_ignored_on_purpose() -> None:
    assert_every_type_is_accounted_for(HANDLERS, IGNORED_TYPES, CONSUMED_TOPICS, table="coaching")


def test_no_handler_is_dead() -> None:
    assert_no_handler_is_dead(HANDLERS, IGNORED_TYPES, CONSUMED_TOPICS, table="coaching")


def test_the_published_consumed_schemas_are_the_handled_types() -> None:
    # events.CONSUMED writes schemas/consumed/: a handled type without its schema, or a schema for a type nothing
    # handles, would document a contract coaching does not keep.
    assert set(events.CONSUMED) == set(HANDLERS)
    for event_type, model in events.CONSUMED.items():
        assert model is BY_TYPE[event_type].payload, f"{event_type}: its schema is not the catalogue's payload"


async def test_an_ignored_type_is_consumed_and_changes_nothing(tmp_path: Path) -> None:
    bus = SqliteEventLog(tmp_path / "events.sqlite", poll_interval=0.02)
    documents = SqliteDocumentStore(tmp_path / "coaching.sqlite")
    try:
        async with coaching_app(tmp_path, bus=bus, documents=documents, consumer_group=GROUP) as h:
            await h.publish(
                topics.ISSUER,
                ISSUER_PROFILE_PUBLISHED,
                {
                    **IssuerProfilePublished(
                        institution=h.tenant, issuer_id="https://issuer.test/omnia", profile={"type": "Profile"}
                    ).model_dump(mode="json"),
                    "staff_id": "s-1",  # the harness keys events by person; the payload allows extra fields
                },
            )

            async def read() -> bool:
                return not any((await bus.consumer_lag(GROUP)).values())

            await eventually(read)
            assert not await documents.count(RECORDS, {})
            assert not await documents.count(received_evidence.COLLECTION, {})
    finally:
        await documents.close()
        await bus.close()
