"""The manager summary's projection: every person's standing changes, kept per institution in a few documents.

Reading every staff record of an institution per summary request grows with the institution; this projection lets
the summary read `SHARDS` small documents (plus a count of the institution's records) instead. A person's entry is
a pure function of their ladder history (`standing_deltas`), stamped with the history's length. History only grows
(one compare-and-swap write at a time), so a longer history is a newer one, and an entry is only ever replaced by one
made from a longer history. That makes every update idempotent and order-free: a redelivered event, a retry after a
failure, two replicas syncing the same person, or a rebuild racing live updates all converge on the entry of the
latest history, with no event ids to remember. Each shard is changed by compare-and-swap, so concurrent updates of
one institution never lose each other.

The projection is updated after the staff record is written (`StaffRecords.change`): if that update fails, the
change raises, the bus redelivers the event, the record reports it as already applied, and the projection is synced
from the record again. An institution whose projection was never built (records written before it existed) gets it
built from its records on its first summary, once.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rexvet_coaching.domain.progress import StaffRecord
from rexvet_coaching.domain.summary import StandingDelta, standing_deltas
from rexvet_common.errors import DocumentNotFoundError, DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import Document, DocumentStore, Index

COLLECTION = "ladder_summary"
SHARDS = 8  # spreads one institution's writers over several documents and keeps each small
MAX_CONFLICTS = 50


@dataclass(frozen=True)
class Entry:
    staff_id: str
    length: int  # how many ladder changes the history had
    deltas: list[StandingDelta]

    @classmethod
    def of(cls, record: StaffRecord) -> Entry:
        return cls(record.staff_id, len(record.history), standing_deltas(record.history))

    def to_json(self) -> dict[str, Any]:
        return {
            "staff_id": self.staff_id,
            "n": self.length,
            "d": [[d.at.isoformat(), d.direction, d.level, list(d.competence_areas), d.staff] for d in self.deltas],
        }


def _deltas(entry: dict[str, Any]) -> list[StandingDelta]:
    return [
        StandingDelta(datetime.fromisoformat(at), direction, level, tuple(areas), staff)
        for at, direction, level, areas, staff in entry["d"]
    ]


def shard_of(staff_id: str) -> int:
    return int.from_bytes(hashlib.sha256(staff_id.encode()).digest()[:4], "big") % SHARDS


def _shard_id(tenant: str, shard: int) -> str:
    return f"{tenant}:{shard}"


def _built_id(tenant: str) -> str:
    return f"{tenant}:built"


class LadderProjection:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, [Index(("tenant",))])

    async def sync(self, record: StaffRecord) -> None:
        """Bring the person's entry up to their record's history (nothing to do when it already is)."""
        if not record.history:
            return  # nobody without a ladder change stands anywhere: no entry needed
        await self._merge(record.tenant, shard_of(record.staff_id), [Entry.of(record)])

    async def _merge(self, tenant: str, shard: int, entries: Iterable[Entry]) -> None:
        doc_id = _shard_id(tenant, shard)
        wanted = {e.staff_id: e for e in entries}
        for _ in range(MAX_CONFLICTS):
            current = await self.documents.get(COLLECTION, doc_id)
            stored: list[dict[str, Any]] = list(current["staff"]) if current else []
            lengths = {e["staff_id"]: int(e["n"]) for e in stored}
            newer = {s: e for s, e in wanted.items() if e.length > lengths.get(s, -1)}
            if not newer:
                return
            staff = [e for e in stored if e["staff_id"] not in newer] + [e.to_json() for e in newer.values()]
            document: Document = {"_id": doc_id, "tenant": tenant, "kind": "shard", "shard": shard, "staff": staff}
            try:
                if current is None:
                    await self.documents.insert(COLLECTION, document)
                else:
                    await self.documents.replace(COLLECTION, {**document, "_version": current["_version"]})
                return
            except (VersionConflictError, DocumentNotFoundError, DuplicateKeyError):
                continue
        raise VersionConflictError(f"ladder summary {doc_id!r} kept changing; the change will be retried")

    async def is_built(self, tenant: str) -> bool:
        return await self.documents.get(COLLECTION, _built_id(tenant)) is not None

    async def build(self, tenant: str, records: AsyncIterable[StaffRecord]) -> None:
        """Entries for every record of the institution, merged with whatever live updates wrote meanwhile."""
        by_shard: dict[int, list[Entry]] = {}
        async for record in records:
            if record.history:
                by_shard.setdefault(shard_of(record.staff_id), []).append(Entry.of(record))
        for shard, entries in sorted(by_shard.items()):
            await self._merge(tenant, shard, entries)
        with contextlib.suppress(DuplicateKeyError):  # another replica built it too: the same entries, merged alike
            await self.documents.insert(COLLECTION, {"_id": _built_id(tenant), "tenant": tenant, "kind": "built"})

    async def deltas(self, tenant: str) -> list[StandingDelta]:
        deltas: list[StandingDelta] = []
        cursor: str | None = None
        while True:
            page = await self.documents.find(COLLECTION, {"tenant": tenant}, limit=SHARDS + 1, cursor=cursor)
            for document in page.items:
                for entry in document.get("staff", []):
                    deltas += _deltas(entry)
            if page.next_cursor is None:
                return deltas
            cursor = page.next_cursor
