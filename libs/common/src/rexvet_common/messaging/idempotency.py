"""Idempotent consumers: an event delivered twice (at-least-once delivery, duplicate relays) has one effect.

Three tools, for three shapes of handler:

- `apply_once`: the effect is a change to ONE document. The ids of the events applied to it are kept in that same
  document (`_applied_events`) and written by the same compare-and-swap as the change, so the effect and its record
  are atomic: a crash between the effect and the bus's acknowledgement leads to a redelivery that finds its id and
  does nothing. The list keeps the last `window` ids per document; since a key's events arrive in order and are
  redelivered soon, an id older than that will not come back. Prefer this one.
- `insert_once`: the effect is a new document whose `_id` derives from the event id: the unique `_id` is the record.
- `ProcessedEvents` / `idempotent`: a collection keyed by (group, event id), for handlers whose effect spans several
  documents or leaves the database (an e-mail). Its record is a second write, not atomic with the effect: it is made
  after the handler succeeded, so a crash in between repeats the effect once. Use it only for effects that tolerate
  that, or that are themselves idempotent. The collection grows by one document per event (no TTL indexes on
  FerretDB): prune it by `processed_at` if needed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime

from rexvet_common.errors import DocumentNotFoundError, DuplicateKeyError, VersionConflictError
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.document_store import Document, DocumentStore, Index
from rexvet_common.ports.event_bus import Handler

APPLIED_FIELD = "_applied_events"
DEFAULT_WINDOW = 500
MAX_CONFLICTS = 50

Change = Callable[[Document | None], Document | None]


async def apply_once(
    store: DocumentStore,
    collection: str,
    doc_id: str,
    event_id: str,
    change: Change,
    *,
    window: int = DEFAULT_WINDOW,
) -> bool:
    """Apply `change` to the document unless `event_id` was applied to it; False when it had been.

    `change` gets a copy of the current document (None when absent) and returns the new one, or None to leave it
    as it is. It may be called again after a concurrent write, so it must not have other side effects.
    """
    for _ in range(MAX_CONFLICTS):
        current = await store.get(collection, doc_id)
        if current is not None and event_id in current.get(APPLIED_FIELD, []):
            return False
        changed = change(copy.deepcopy(current))
        if changed is None:
            return True
        applied = [*(current or {}).get(APPLIED_FIELD, []), event_id][-window:]
        updated = {**changed, "_id": doc_id, APPLIED_FIELD: applied}
        try:
            if current is None:
                await store.insert(collection, updated)
            else:
                await store.replace(collection, {**updated, "_version": current["_version"]})
            return True
        except (VersionConflictError, DocumentNotFoundError):
            continue
        except DuplicateKeyError:
            if current is None and await store.get(collection, doc_id) is not None:
                continue  # created concurrently: apply on top of it
            raise
    raise VersionConflictError(
        f"{collection}: document {doc_id!r} kept changing under event {event_id!r}; the bus will retry it"
    )


async def insert_once(store: DocumentStore, collection: str, document: Document) -> bool:
    """Insert a document whose `_id` derives from an event; False when it already exists (a redelivery)."""
    try:
        await store.insert(collection, document)
    except DuplicateKeyError:
        if await store.get(collection, document["_id"]) is not None:
            return False
        raise  # another unique index refused it: a real conflict, not a redelivery
    return True


class ProcessedEvents:
    """Records of (consumer group, event id) already handled, in their own collection."""

    def __init__(self, store: DocumentStore, collection: str = "processed_events") -> None:
        self._store = store
        self._collection = collection

    async def setup(self) -> None:
        await self._store.ensure_collection(self._collection, [Index(("group", "processed_at"))])

    @staticmethod
    def _id(group: str, event_id: str) -> str:
        return f"{group}:{event_id}"

    async def seen(self, group: str, event_id: str) -> bool:
        return await self._store.get(self._collection, self._id(group, event_id)) is not None

    async def record(self, group: str, event_id: str) -> None:
        document = {
            "_id": self._id(group, event_id),
            "group": group,
            "event_id": event_id,
            "processed_at": datetime.now(UTC).isoformat(),
        }
        await insert_once(self._store, self._collection, document)


def idempotent(handler: Handler, processed: ProcessedEvents, group: str) -> Handler:
    """Skip events `group` already handled; record an event after `handler` succeeded (see the module's caveat)."""

    async def handle(event: CloudEvent) -> None:
        if await processed.seen(group, event.id):
            return
        await handler(event)
        await processed.record(group, event.id)

    return handle
