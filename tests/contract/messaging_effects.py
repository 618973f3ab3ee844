"""The effect the messaging contract counts: one tally per event, applied idempotently with `apply_once`."""

from __future__ import annotations

from rexvet_common.events.envelope import CloudEvent
from rexvet_common.messaging.idempotency import apply_once
from rexvet_common.ports.document_store import Document, DocumentStore


def tracked_document(doc_id: str) -> Document:
    """The state change that causes the event (an evidence record, say)."""
    return {"_id": doc_id, "state": "submitted"}


async def count_once(store: DocumentStore, collection: str, event: CloudEvent) -> bool:
    """Add one to the tally of the event's key; a redelivered event adds nothing."""

    def add_one(current: Document | None) -> Document:
        tally = current or {"_id": event.partitionkey, "count": 0}
        return {**tally, "count": tally["count"] + 1}

    return await apply_once(store, collection, event.partitionkey, event.id, add_one)


async def tally(store: DocumentStore, collection: str, key: str) -> int:
    document = await store.get(collection, key)
    return 0 if document is None else int(document["count"])
