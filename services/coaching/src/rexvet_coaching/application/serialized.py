"""One writer at a time per staff record inside a process.

The document store's compare-and-swap (`replace` when `_version` still matches) is what keeps concurrent writers,
in this process or in other replicas, from losing each other's changes; every supported engine makes it atomic
(SQLite, MongoDB, FerretDB 2 on DocumentDB; see `rexvet_common.adapters.mongo_document_store`).
This lock is an optimisation on top: within one process the coaching consumer (its topics' partitions run
concurrently), the API and the outbox relay all write staff records, and on a busy record a conflict costs a re-read
and a retry, so writers of one process take turns instead of racing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

from rexvet_common.ports.document_store import Document, DocumentStore, Index, Page, Scalar, SortOrder


class RecordLocks:
    """An asyncio lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                del self._locks[key]


class SerializedWrites:
    """A `DocumentStore` whose writes to `collection` wait for the record's lock (handed to the outbox relay)."""

    def __init__(self, inner: DocumentStore, locks: RecordLocks, collection: str) -> None:
        self.inner = inner
        self.locks = locks
        self.collection = collection

    @asynccontextmanager
    async def _holding(self, collection: str, document_id: str) -> AsyncIterator[None]:
        """The record's lock for a write to the staff records; no lock for any other collection."""
        if collection != self.collection:
            yield
            return
        async with self.locks.hold(document_id):
            yield

    async def ensure_collection(self, name: str, indexes: Sequence[Index] = ()) -> None:
        await self.inner.ensure_collection(name, indexes)

    async def insert(self, collection: str, document: Document) -> Document:
        async with self._holding(collection, str(document.get("_id"))):
            return await self.inner.insert(collection, document)

    async def get(self, collection: str, doc_id: str) -> Document | None:
        return await self.inner.get(collection, doc_id)

    async def replace(self, collection: str, document: Document) -> Document:
        async with self._holding(collection, str(document.get("_id"))):
            return await self.inner.replace(collection, document)

    async def delete(self, collection: str, doc_id: str, *, expected_version: int | None = None) -> bool:
        async with self._holding(collection, doc_id):
            return await self.inner.delete(collection, doc_id, expected_version=expected_version)

    async def find(
        self,
        collection: str,
        where: Mapping[str, Scalar] | None = None,
        *,
        sort: Sequence[tuple[str, SortOrder]] = (),
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page:
        return await self.inner.find(collection, where, sort=sort, limit=limit, cursor=cursor)

    async def count(self, collection: str, where: Mapping[str, Scalar] | None = None) -> int:
        return await self.inner.count(collection, where)

    async def ping(self) -> None:
        await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()
