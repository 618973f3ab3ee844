"""Claims that make the document store's compare-and-swap atomic on every MongoDB-wire engine.

`replace_one({"_id": id, "_version": v}, ...)` is atomic on MongoDB, but FerretDB 1.x on SQLite runs the query and
the write apart (FerretDB issue #3040): two writers of version v can both match and both write, and one change is
lost. Inserting a document with a given `_id` IS atomic there (SQLite's primary key), so a writer first claims the
version it read by inserting `{_id: "<doc>@<v>#<generation>"}` into the companion collection `<collection>__cas`.
Whoever inserts the claim may write version v + 1; the others get a duplicate key and lose. On MongoDB the claim is
merely redundant.

Lifecycle of a claim:
- The winner writes, then deletes every claim of the document up to version v (`settle`): later writers compare
  against v + 1, so those claims are never needed again, and the collection stays about empty.
- A write the database refused (unique index, document gone or moved on) releases the claim at once: nothing was
  written, so the version is free for the next writer.
- A writer that dies between claim and write (crash, lost connection: the write may or may not have landed) leaves
  the claim. Once it is older than the expiry, the next writer takes the version over by inserting the NEXT
  generation `<doc>@<v>#<g+1>`, again an atomic insert, so of several writers taking over at the same instant exactly
  one wins (no claim is ever deleted to take it over, hence no window where two recoverers both see it free).

A writer that meets a live claim of the version it read does not give up at once: it waits (polling, bounded by
`wait_seconds` of real time) until the holder has written (then it lost: a conflict, as usual), released the claim,
or let it expire (a dead holder: take over). So a writer that died mid-write delays that document's next writes
until its claim expires instead of failing them, and an event consumer does not dead-letter events for it.

Residual risk: expiry is a lease judged by the wall clocks of the writers. A writer stalled for longer than the
expiry between its claim and its write (process paused, clock skew between replicas larger than the expiry) can
still write alongside the writer that took its version over. The write itself is one round trip, so the default of
10 s leaves a wide margin; keep replicas' clocks in sync (NTP) and the expiry well above any expected pause.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError as MongoDuplicateKeyError
from pymongo.errors import OperationFailure, PyMongoError

Document = dict[str, Any]

CLAIMS_SUFFIX = "__cas"
DEFAULT_CLAIM_EXPIRY_SECONDS = 10.0
FIRST_POLL_SECONDS, LAST_POLL_SECONDS = 0.01, 0.5
# Claim attempts before a writer gives up: the first claim, a retry when the claim vanished (its holder released
# it), takeovers of expired claims. Beyond that someone else is actively writing: a conflict.
MAX_ATTEMPTS = 4
CLAIMS_INDEX = "ix_cas_doc_version"


@dataclass(frozen=True)
class Claim:
    claim_id: str
    owner: str


def claims_collection(collection: str) -> str:
    return f"{collection}{CLAIMS_SUFFIX}"


def claim_id(doc_id: str, version: int, generation: int) -> str:
    # Unambiguous whatever the document id holds: version and generation are digits, read from the right.
    return f"{doc_id}@{version}#{generation}"


class VersionClaims:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        expiry_seconds: float = DEFAULT_CLAIM_EXPIRY_SECONDS,
        wait_seconds: float | None = None,
        clock: Callable[[], float],
    ) -> None:
        if expiry_seconds <= 0:
            raise ValueError(f"the claim expiry must be positive, got {expiry_seconds}")
        self._db = db
        self._expiry = expiry_seconds
        # Real time a writer waits for a live claim; past the expiry by default, so a dead holder is always outlived.
        self._wait = expiry_seconds * 1.5 if wait_seconds is None else wait_seconds
        self._clock = clock

    def _claims(self, collection: str) -> AsyncCollection[Document]:
        return self._db[claims_collection(collection)]

    async def ensure_index(self, collection: str) -> None:
        """The index `settle` and takeovers query by (the collection itself is created by the store)."""
        await self._claims(collection).create_index(
            [("doc", ASCENDING), ("version", ASCENDING), ("gen", ASCENDING)], name=CLAIMS_INDEX
        )

    async def claim(
        self, collection: str, doc_id: str, version: int, still_at_version: Callable[[], Awaitable[bool]]
    ) -> Claim | None:
        """Claim the right to replace (or delete) version `version`; None when another writer holds it and wrote.

        `still_at_version` tells whether the document is still at `version` (the holder of a live claim has not
        written yet): then this writer waits for the holder instead of losing to a writer that may be dead.
        """
        claims = self._claims(collection)
        owner = uuid.uuid4().hex
        generation = 0
        deadline = time.monotonic() + self._wait
        poll = FIRST_POLL_SECONDS
        attempts = 0
        while attempts < MAX_ATTEMPTS:
            attempts += 1
            this_claim = claim_id(doc_id, version, generation)
            record = {
                "_id": this_claim,
                "doc": doc_id,
                "version": version,
                "gen": generation,
                "owner": owner,
                "at": self._clock(),
            }
            try:
                await claims.insert_one(record)
            except OperationFailure as exc:
                if not is_duplicate_key(exc):
                    raise
            else:
                return Claim(claim_id=this_claim, owner=owner)
            latest = await claims.find_one({"doc": doc_id, "version": version}, sort=[("gen", DESCENDING)])
            if latest is None:
                generation = 0  # its holder released it (its write was refused) or settled it (then ours will fail)
            elif self._clock() - float(latest["at"]) >= self._expiry:
                generation = int(latest["gen"]) + 1  # its holder died: take the version over, atomically
            elif time.monotonic() < deadline and await still_at_version():
                await asyncio.sleep(poll)  # a live holder that has not written yet: it writes, releases or expires
                poll = min(poll * 2, LAST_POLL_SECONDS)
                attempts -= 1  # waiting is not an attempt
                generation = int(latest["gen"])
            else:
                return None
        return None

    async def release(self, collection: str, claim: Claim) -> None:
        """Give the version back after a write the database refused (nothing was written)."""
        await self._claims(collection).delete_one({"_id": claim.claim_id, "owner": claim.owner})

    async def settle(self, collection: str, doc_id: str, version: int) -> None:
        """After a successful write of version + 1: drop the claims nobody will need again.

        Best effort: the write has happened and the caller must hear so; a claim left here only takes room (the next
        successful write of the document removes it).
        """
        with contextlib.suppress(PyMongoError):
            await self._claims(collection).delete_many({"doc": doc_id, "version": {"$lte": version}})


# FerretDB 1.24 may report a broken primary key or unique index (notably one broken by an update) as InternalError
# (code 1) carrying its backend's message instead of code 11000: SQLite's, or PostgreSQL's unique_violation.
_BACKEND_DUPLICATE_MARKERS = ("UNIQUE constraint failed", "(SQLSTATE 23505)")


def is_duplicate_key(exc: OperationFailure) -> bool:
    """Whether the server refused a write for a repeated key, however the MongoDB-wire server words it."""
    if isinstance(exc, MongoDuplicateKeyError) or exc.code == 11000:
        return True
    message = str(exc)
    return any(marker in message for marker in _BACKEND_DUPLICATE_MARKERS)
