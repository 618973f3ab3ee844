"""The manager summary's projection: each person's standing changes, in one small document per person.

Reading every staff record of an institution per summary request reads every enrolment, fact and applied-event id
of every person; this projection lets the summary read only what it needs, a few hundred bytes per person who ever
stood on the ladder. A person's entry is a pure function of their ladder history (`standing_deltas`), stamped with
the history's length. History only grows (one compare-and-swap write at a time), so a longer history is a newer one,
and an entry is only ever replaced by one made from a longer history. That makes every update idempotent and
order-free: a redelivered event, a retry after a failure, two replicas syncing the same person, or a rebuild racing
live updates all converge on the entry of the latest history, with no event ids to remember.

One document per person rather than a few shared per institution: writers of different people never contend, and a
write stays small however large the institution (shared documents grew with it, and every award rewrote one of
them). Deltas are objects, not arrays of arrays, which FerretDB refuses.

The projection is updated after the staff record is written (`StaffRecords.change`): if that update fails, the
change raises, the bus redelivers the event, the record reports it as already applied, and the projection is synced
from the record again. An institution whose projection was never built (records written before it existed) gets it
built from its records on its first summary, once.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterable
from dataclasses import dataclass
from datetime import datetime

from rexvet_coaching.application.compare_and_swap import write_over
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_coaching.domain.summary import StandingDelta, standing_deltas
from rexvet_common.errors import DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import Document, DocumentStore, Index

COLLECTION = "ladder_summary"
MAX_CONFLICTS = 50
PAGE = 1000


@dataclass(frozen=True)
class Entry:
    tenant: str
    staff_id: str
    length: int  # how many ladder changes the history had
    deltas: list[StandingDelta]

    @classmethod
    def of(cls, record: StaffRecord) -> Entry:
        return cls(record.tenant, record.staff_id, len(record.history), standing_deltas(record.history))

    def to_document(self) -> Document:
        return {
            "_id": person_id(self.tenant, self.staff_id),
            "tenant": self.tenant,
            "kind": "person",
            "staff_id": self.staff_id,
            "n": self.length,
            "d": [
                {
                    "at": d.at.isoformat(),
                    "dir": d.direction,
                    "lvl": d.level,
                    "areas": list(d.competence_areas),
                    "n": d.staff,
                }
                for d in self.deltas
            ],
        }


def _deltas(document: Document) -> list[StandingDelta]:
    return [
        StandingDelta(datetime.fromisoformat(d["at"]), d["dir"], d["lvl"], tuple(d["areas"]), int(d["n"]))
        for d in document["d"]
    ]


def person_id(tenant: str, staff_id: str) -> str:
    return f"p:{tenant}:{staff_id}"


def _built_id(tenant: str) -> str:
    return f"built:{tenant}"


class LadderProjection:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, [Index(("tenant",))])

    async def sync(self, record: StaffRecord) -> None:
        """Bring the person's entry up to their record's history (nothing to do when it already is)."""
        if not record.history:
            return  # nobody without a ladder change stands anywhere: no entry needed
        await self._put(Entry.of(record))

    async def _put(self, entry: Entry) -> None:
        document = entry.to_document()
        for _ in range(MAX_CONFLICTS):
            current = await self.documents.get(COLLECTION, document["_id"])
            if current is not None and int(current["n"]) >= entry.length:
                return  # as new as this one, or newer
            if await write_over(self.documents, COLLECTION, current, document):
                return
        raise VersionConflictError(f"ladder summary {document['_id']!r} kept changing; the change will be retried")

    async def is_built(self, tenant: str) -> bool:
        return await self.documents.get(COLLECTION, _built_id(tenant)) is not None

    async def build(self, tenant: str, records: AsyncIterable[StaffRecord]) -> None:
        """Entries for every record of the institution, merged with whatever live updates wrote meanwhile."""
        async for record in records:
            if record.history:
                await self._put(Entry.of(record))
        with contextlib.suppress(DuplicateKeyError):  # another replica built it too: the same entries
            await self.documents.insert(COLLECTION, {"_id": _built_id(tenant), "tenant": tenant, "kind": "built"})

    async def deltas(self, tenant: str) -> list[StandingDelta]:
        deltas: list[StandingDelta] = []
        cursor: str | None = None
        while True:
            page = await self.documents.find(COLLECTION, {"tenant": tenant}, limit=PAGE, cursor=cursor)
            for document in page.items:
                if document.get("kind") == "person":
                    deltas += _deltas(document)
            if page.next_cursor is None:
                return deltas
            cursor = page.next_cursor
