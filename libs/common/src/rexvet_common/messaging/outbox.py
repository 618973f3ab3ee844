"""Transactional outbox: an event is stored in the same document as the state change that causes it.

The store has no multi-document transactions (FerretDB, single-node MongoDB), so a service that changes a document
and must announce it appends the event to that document's `_outbox` with `add_to_outbox` and writes the document
once (insert or compare-and-swap replace): the change and its event are saved together or not at all. The
`OutboxRelay` then finds documents whose `_outbox_pending` is true, publishes their events in order, and removes
exactly the events it published with a compare-and-swap (re-reading on conflict), so a change made meanwhile is kept.

Several replicas may run a relay over the same collection. They do not coordinate: two of them may publish the same
event, which consumers absorb because they are idempotent by event id (`messaging.idempotency`), as they must be
anyway for at-least-once delivery. A lease per document would cost one more write per document and still could not
rule duplicates out (a holder that stalls past its lease publishes late), so it would buy nothing the consumers do
not already guarantee. A relay killed after publishing and before clearing publishes again on restart: the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

from opentelemetry.propagate import inject

from rexvet_common.errors import DocumentNotFoundError, VersionConflictError
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.document_store import Document, DocumentStore, Index, SortOrder
from rexvet_common.ports.event_bus import EventBus

log = logging.getLogger(__name__)

OUTBOX_FIELD = "_outbox"
PENDING_FIELD = "_outbox_pending"
SINCE_FIELD = "_outbox_since"  # when the oldest pending event was added: the relay publishes oldest first
OUTBOX_INDEX = Index((PENDING_FIELD, SINCE_FIELD))


def current_traceparent() -> str | None:
    """The W3C traceparent of the span active now (the request that causes the event), if any."""
    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier.get("traceparent")


def add_to_outbox(document: Document, topic: str, event: CloudEvent) -> Document:
    """A copy of `document` with `event` pending for `topic`; store it with the same insert/replace as the change.

    An event without a `traceparent` gets the active span's now, while the request is in flight: the relay runs
    later, outside the request, and would otherwise start a new trace.
    """
    if event.traceparent is None:
        event = event.model_copy(update={"traceparent": current_traceparent()})
    pending = list(document.get(OUTBOX_FIELD) or [])
    pending.append({"topic": topic, "event": event.model_dump(mode="json", exclude_none=True)})
    since = document.get(SINCE_FIELD) if document.get(PENDING_FIELD) else None
    return {
        **document,
        OUTBOX_FIELD: pending,
        PENDING_FIELD: True,
        SINCE_FIELD: since or datetime.now(UTC).isoformat(),
    }


def pending_events(document: Document) -> list[tuple[str, CloudEvent]]:
    return [(entry["topic"], CloudEvent.model_validate(entry["event"])) for entry in document.get(OUTBOX_FIELD) or []]


def without_events(document: Document, event_ids: set[str]) -> Document:
    """A copy of `document` with the given events removed from its outbox (others, added meanwhile, stay)."""
    remaining = [entry for entry in document.get(OUTBOX_FIELD) or [] if entry["event"]["id"] not in event_ids]
    cleared: dict[str, Any] = {**document, OUTBOX_FIELD: remaining, PENDING_FIELD: bool(remaining)}
    if not remaining:
        cleared[SINCE_FIELD] = None
    return cleared


# While named documents flow, the query for pending ones waits SCAN_SHARE times its last duration: at most about a
# fifth of the relay's time goes to it.
SCAN_SHARE = 4.0


class OutboxRelay:
    """Publishes the pending events of `collections` and clears them; run one per process beside the API.

    Documents are relayed `concurrency` at a time, those named by `wake` and those the query finds alike; each
    document's events are published in their order by one task."""

    def __init__(
        self,
        store: DocumentStore,
        bus: EventBus,
        collections: Sequence[str],
        *,
        poll_interval: float = 0.5,
        batch_size: int = 100,
        concurrency: int = 8,
        busy_scan_interval: float = 5.0,
    ) -> None:
        self._store = store
        self._bus = bus
        self._collections = tuple(collections)
        self._poll_interval = poll_interval
        self._batch_size = batch_size
        self._concurrency = max(1, concurrency)
        self._busy_scan_interval = busy_scan_interval
        self._wake = asyncio.Event()
        # Documents a writer said it just gave pending events: relayed by id, without a query. The query for pending
        # documents stays the safety net (events of writers that crashed, or of other replicas), but it costs what the
        # backlog costs: FerretDB cannot push its sort down, so it reads every pending document (2 s per round at
        # ~1,000 pending staff records in the Kafka + FerretDB benchmark, while one lookup by id is a few ms).
        self._hinted: dict[tuple[str, str], None] = {}  # an ordered set
        self._last_scan = -math.inf
        self._last_named = -math.inf  # when a named document was last relayed
        self._scan_requested = False
        self._scan_cost = 0.0  # how long the last query round took
        self._task: asyncio.Task[None] | None = None
        # Python 3.11's wait_for can swallow a cancellation that races the wake-up: the flag ends the loop anyway.
        self._stopping = False

    async def start(self) -> None:
        for collection in self._collections:
            await self._store.ensure_collection(collection, [OUTBOX_INDEX])
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    def wake(self, collection: str | None = None, doc_id: str | None = None) -> None:
        """Publish soon rather than at the next poll (call after storing a document with pending events); naming the
        document lets the relay fetch it by id instead of querying for pending documents."""
        if collection in self._collections and doc_id is not None:
            self._hinted[(collection, doc_id)] = None
        else:
            self._scan_requested = True  # unnamed: only the query finds it, so it runs next, busy or not
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            failed = False
            try:
                published = await self.run_hinted()
                if published:
                    self._last_named = time.monotonic()
                # The query when nothing named is left: at once when idle. While named documents keep coming, it may
                # take at most a fifth of the relay's time (it costs what the backlog costs: about a millisecond on
                # SQLite, seconds on FerretDB with a backlog), and waits no longer than `busy_scan_interval`.
                now = time.monotonic()
                busy = now - self._last_named < self._busy_scan_interval
                due = min(self._busy_scan_interval, SCAN_SHARE * self._scan_cost) if busy else 0.0
                if self._scan_requested or (not self._hinted and now - self._last_scan >= due):
                    self._scan_requested = False
                    published += await self.run_once()
            except Exception:
                log.exception("outbox relay round failed; retrying at the next poll")
                published, failed = 0, True
            if not failed and (published or self._hinted):
                continue  # there may be more
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)

    async def run_hinted(self) -> int:
        """Relay the documents named by `wake` (up to a batch, several at a time); returns how many events were
        published. Each document's events keep their order (one document is relayed by one task); documents are
        independent of each other, so relaying them concurrently hides the round trips of a remote database."""
        batch = list(itertools.islice(self._hinted, self._batch_size))
        for hint in batch:
            self._hinted.pop(hint)  # taken; named again if its relay fails, or if the document is written meanwhile

        async def relay_one(hint: tuple[str, str]) -> int:
            collection, doc_id = hint
            try:
                document = await self._store.get(collection, doc_id)
                if document is None or not document.get(PENDING_FIELD):
                    return 0
                return await self._relay(collection, document)
            except BaseException:
                self._hinted[hint] = None
                raise

        return await self._bounded([partial(relay_one, hint) for hint in batch])

    async def _bounded(self, relays: Sequence[Callable[[], Awaitable[int]]]) -> int:
        """Run the relays of distinct documents `concurrency` at a time; the total, or the first failure once all
        have ended (the others' work is kept). Each relay starts only when its turn comes, so one that a stop
        cancels before its turn was never begun."""
        limit = asyncio.Semaphore(self._concurrency)

        async def bounded(relay: Callable[[], Awaitable[int]]) -> int:
            async with limit:
                return await relay()

        results = await asyncio.gather(*(bounded(relay) for relay in relays), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]
        return sum(r for r in results if isinstance(r, int))

    async def run_once(self) -> int:
        """One round over every collection; returns how many events were published."""
        started = time.monotonic()
        try:
            return await self._scan()
        finally:
            self._last_scan = time.monotonic()
            self._scan_cost = self._last_scan - started

    async def _scan(self) -> int:
        total = 0
        for collection in self._collections:
            page = await self._store.find(
                collection, {PENDING_FIELD: True}, sort=[(SINCE_FIELD, SortOrder.ASCENDING)], limit=self._batch_size
            )
            # Several at a time, as for named documents: a page is distinct documents, each relayed by one task in
            # its own order; one after the other, a backlog of unnamed documents cost a round trip per event.
            total += await self._bounded([partial(self._relay, collection, document) for document in page.items])
        return total

    async def _relay(self, collection: str, document: Document) -> int:
        events = pending_events(document)
        for topic, event in events:
            await self._bus.publish(topic, event)
        published = {event.id for _, event in events}
        while True:
            try:
                await self._store.replace(collection, without_events(document, published))
                return len(events)
            except VersionConflictError:
                fresh = await self._store.get(collection, document["_id"])
                if fresh is None:
                    return len(events)
                document = fresh
            except DocumentNotFoundError:
                return len(events)
