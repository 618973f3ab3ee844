"""The two checks every consumer table from event type to handler passes (coaching, issuer, verifier): each type
on a consumed topic is handled or ignored on purpose, and no entry of the table is dead."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from rexvet_common.events.catalogue import BY_TYPE, EVENT_TYPES


def assert_every_type_is_accounted_for(
    handlers: Mapping[str, Any], ignored: Collection[str], consumed_topics: Collection[str], *, table: str
) -> None:
    carried = {event.type for event in EVENT_TYPES if event.topic in consumed_topics}
    unaccounted = carried - handlers.keys() - set(ignored)
    assert not unaccounted, (
        f"{table}: add a handler to its table or the type to its ignored types: {sorted(unaccounted)}"
    )
    assert not handlers.keys() & set(ignored), f"{table}: a type is either handled or ignored"


def assert_no_handler_is_dead(
    handlers: Mapping[str, Any], ignored: Collection[str], consumed_topics: Collection[str], *, table: str
) -> None:
    for event_type in (*handlers, *ignored):
        assert event_type in BY_TYPE, f"{event_type} is not in the catalogue"
        assert BY_TYPE[event_type].topic in consumed_topics, f"{table}: {event_type} travels on a topic it never reads"
    used_topics = {BY_TYPE[event_type].topic for event_type in handlers}
    assert used_topics == set(consumed_topics), f"{table}: a consumed topic with no handled type is read for nothing"
