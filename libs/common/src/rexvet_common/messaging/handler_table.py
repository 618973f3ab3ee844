"""A consumer's dispatch through its table from event type to handler, written once for every consumer.

A consumer names the types it acts on in a table (type -> unbound handler method) and the other types of its topics
in its ignored types; both are checked against the catalogue by the consumer-table tests. A type the table does not
name is left alone here, so a consumer never acts on an event it did not list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from rexvet_common.events.envelope import CloudEvent

C = TypeVar("C")

HandlerTable = Mapping[str, Callable[[C, CloudEvent], Awaitable[None]]]


async def dispatch(table: HandlerTable[C], consumer: C, event: CloudEvent) -> None:
    """Run the table's handler for the event's type on `consumer`; nothing for a type the table does not name."""
    handler = table.get(event.type)
    if handler is not None:
        await handler(consumer, event)
