"""The claims behind the MongoDB-wire store's compare-and-swap (adapters/mongo_cas.py), on the local FerretDB.

The race itself is in the document store contract; here: a writer that dies between claim and write blocks that
version only until its claim expires, several writers taking the version over at once let exactly one through, a
refused write frees the version at once, a cancelled write still completes, claims stay out of the collection's
documents and do not pile up, and replicas (separate processes) incrementing one counter lose no increment.
Clocks are fake (the store takes one), so nothing here waits for an expiry or depends on how fast it runs.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from unittest import mock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers

from contract.real_engines import MONGO_URL, TEST_DATABASE, require_mongo
from contract.support import unique_name
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import AutoReconnect

from rexvet_common.adapters.mongo_cas import claims_collection
from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.errors import BackendUnavailableError, DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import Document, Index

pytestmark = pytest.mark.integration

WORKER = Path(__file__).resolve().parent / "document_store_cas_crash_worker.py"
COUNTER_WORKER = Path(__file__).resolve().parent / "document_store_cas_counter_worker.py"
REPLICAS, TASKS_PER_REPLICA, INCREMENTS = 3, 3, 20
EXPIRY = 30.0
T0 = 1_000_000.0  # the fake time at which the dead writer claimed
BEFORE_EXPIRY = T0 + EXPIRY - 1
AFTER_EXPIRY = T0 + EXPIRY + 1
WRITERS = 12
TAKEOVER_ROUNDS = 10


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def open_store() -> AsyncIterator[Callable[[Clock], MongoDocumentStore]]:
    require_mongo()
    made: list[MongoDocumentStore] = []

    def factory(clock: Clock) -> MongoDocumentStore:
        made.append(
            MongoDocumentStore(
                MONGO_URL,
                database=TEST_DATABASE,
                server_selection_timeout_ms=5000,
                claim_expiry_seconds=EXPIRY,
                # The clock here stands still unless a test moves it: waiting for a live claim would outlast any
                # expiry, so waiting is short and what remains is the conflict these tests look for.
                claim_wait_seconds=0.2,
                clock=clock,
            )
        )
        return made[-1]

    yield factory
    for store in made:
        await store.close()


@pytest.fixture
async def collection(open_store: Callable[[Clock], MongoDocumentStore]) -> str:
    name: str = unique_name("cas")
    await open_store(Clock(T0)).ensure_collection(name, [Index(("email",), unique=True)])
    return name


async def claims_left(collection: str) -> list[Document]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(MONGO_URL, serverSelectionTimeoutMS=5000)
    try:
        return await client[TEST_DATABASE][claims_collection(collection)].find({}).to_list()
    finally:
        await client.close()


async def crash_after_claiming(collection: str, document: Document) -> None:
    """A writer process claims `document`'s version at T0 and is killed before it writes."""
    job = {"collection": collection, "document": document, "clock": T0}
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), json.dumps(job), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(worker.communicate(), timeout=60)
    assert out.decode().splitlines() == ["claimed"], (out, err)
    assert worker.returncode == -9, (worker.returncode, err)


async def lose_connection_after_claiming(store: MongoDocumentStore, collection: str, document: Document) -> None:
    """An in-process writer whose write never reaches the database: its claim stays, as after a crash."""
    lost = mock.patch.object(AsyncCollection, "replace_one", side_effect=AutoReconnect("connection lost"))
    with lost, pytest.raises(BackendUnavailableError):
        await store.replace(collection, document)


async def test_a_writer_killed_after_claiming_holds_the_version_only_until_the_claim_expires(
    open_store: Callable[[Clock], MongoDocumentStore], collection: str
) -> None:
    clock = Clock(BEFORE_EXPIRY)
    store = open_store(clock)
    v1 = await store.insert(collection, {"_id": "d1", "email": "a@example.org", "n": 0})
    await crash_after_claiming(collection, {**v1, "n": "dead writer"})
    assert [c["version"] for c in await claims_left(collection)] == [1]

    with pytest.raises(VersionConflictError, match="another writer is changing version 1"):
        await store.replace(collection, {**v1, "n": "too early"})
    with pytest.raises(VersionConflictError):
        await store.delete(collection, "d1", expected_version=1)
    assert await store.get(collection, "d1") == v1

    clock.now = AFTER_EXPIRY
    v2 = await store.replace(collection, {**v1, "n": "after expiry"})
    assert v2["_version"] == 2
    assert await store.get(collection, "d1") == v2
    assert await claims_left(collection) == []  # the dead writer's claim went with the successful write


async def test_a_delete_takes_over_an_expired_claim_too(
    open_store: Callable[[Clock], MongoDocumentStore], collection: str
) -> None:
    clock = Clock(T0)
    store = open_store(clock)
    v1 = await store.insert(collection, {"_id": "d1", "email": "a@example.org"})
    await lose_connection_after_claiming(store, collection, {**v1, "n": 1})
    clock.now = BEFORE_EXPIRY
    with pytest.raises(VersionConflictError):
        await store.delete(collection, "d1", expected_version=1)
    clock.now = AFTER_EXPIRY
    assert await store.delete(collection, "d1", expected_version=1) is True
    assert await store.get(collection, "d1") is None
    assert await claims_left(collection) == []


async def test_writers_taking_over_an_expired_claim_at_once_let_exactly_one_through(
    open_store: Callable[[Clock], MongoDocumentStore], collection: str
) -> None:
    # The takeover is an insert of the claim's next generation, as atomic as the first claim: of the writers that
    # all find the dead writer's claim expired, one wins and the others are refused.
    clock = Clock(T0)
    stores = [open_store(clock), open_store(clock)]
    for round_ in range(TAKEOVER_ROUNDS):
        clock.now = T0
        doc_id = f"d{round_}"
        v1 = await stores[0].insert(collection, {"_id": doc_id, "email": f"{round_}@example.org"})
        await lose_connection_after_claiming(stores[0], collection, {**v1, "n": "lost"})
        clock.now = AFTER_EXPIRY
        outcomes = await asyncio.gather(
            *(stores[n % 2].replace(collection, {**v1, "n": n}) for n in range(WRITERS)), return_exceptions=True
        )
        winners = [o for o in outcomes if isinstance(o, dict)]
        assert len(winners) == 1, f"round {round_}: {outcomes}"
        assert all(isinstance(o, VersionConflictError) for o in outcomes if o is not winners[0]), outcomes
        assert await stores[1].get(collection, doc_id) == winners[0]
    assert await claims_left(collection) == []


async def test_a_write_the_database_refused_frees_the_version_at_once(
    open_store: Callable[[Clock], MongoDocumentStore], collection: str
) -> None:
    store = open_store(Clock(T0))  # the clock stands still: a claim left behind would block the next writer
    await store.insert(collection, {"_id": "d1", "email": "taken@example.org"})
    v1 = await store.insert(collection, {"_id": "d2", "email": "b@example.org"})
    with pytest.raises(DuplicateKeyError):
        await store.replace(collection, {**v1, "email": "taken@example.org"})
    assert await claims_left(collection) == []
    v2 = await store.replace(collection, {**v1, "email": "c@example.org"})
    assert v2["_version"] == 2


async def test_claims_are_not_documents_of_the_collection_and_do_not_pile_up(
    open_store: Callable[[Clock], MongoDocumentStore], collection: str
) -> None:
    stores = [open_store(Clock(T0)), open_store(Clock(T0))]
    current = await stores[0].insert(collection, {"_id": "d1", "email": "a@example.org"})
    stale = current
    for round_ in range(3):
        outcomes = await asyncio.gather(
            *(stores[n % 2].replace(collection, {**current, "n": n}) for n in range(WRITERS)), return_exceptions=True
        )
        current = next(o for o in outcomes if isinstance(o, dict))
        assert await claims_left(collection) == [], f"round {round_}"
    with pytest.raises(VersionConflictError, match="is at version 4, not 1"):
        await stores[1].replace(collection, {**stale, "n": "stale"})  # claims version 1 again, then loses
    assert await claims_left(collection) == []
    assert await stores[0].count(collection) == 1
    page = await stores[1].find(collection)
    assert page.items == [current]


async def test_a_writer_cancelled_mid_write_finishes_it_and_leaves_no_claim(
    open_store: Callable[[Clock], MongoDocumentStore], collection: str
) -> None:
    # A shutdown cancels handlers in the middle of their writes. The claimed write runs to its end anyway, so the
    # document is not blocked for the claim's expiry afterwards (the clock stands still here: it would be).
    store, other = open_store(Clock(T0)), open_store(Clock(T0))
    v1 = await store.insert(collection, {"_id": "d1", "email": "a@example.org"})
    writing, go_on = asyncio.Event(), asyncio.Event()
    real_replace_one = AsyncCollection.replace_one

    async def slow_replace_one(self: AsyncCollection[Document], *args: object, **kwargs: object) -> object:
        writing.set()
        await go_on.wait()
        return await real_replace_one(self, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch.object(AsyncCollection, "replace_one", slow_replace_one):
        writer = asyncio.create_task(store.replace(collection, {**v1, "n": "cancelled writer"}))
        await writing.wait()  # claimed, and the write is on its way
        writer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await writer
        go_on.set()
        await store.close()  # waits for the write its caller abandoned
    v2 = await other.get(collection, "d1")
    assert v2 == {**v1, "n": "cancelled writer", "_version": 2}
    assert await claims_left(collection) == []
    assert (await other.replace(collection, {**v2, "n": "next"}))["_version"] == 3


async def test_replicas_incrementing_one_counter_lose_no_increment(
    open_store: Callable[[Clock], MongoDocumentStore], collection: str
) -> None:
    # Separate processes, as replicas of a service are: every increment each of them made is in the final count.
    store = open_store(Clock(T0))
    await store.insert(collection, {"_id": "counter", "email": "counter@example.org", "n": 0})
    job = {"collection": collection, "document": "counter", "increments": INCREMENTS, "tasks": TASKS_PER_REPLICA}
    replicas = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(COUNTER_WORKER),
            json.dumps(job),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(REPLICAS)
    ]
    reports = []
    for replica in replicas:
        out, err = await asyncio.wait_for(replica.communicate(), timeout=300)
        assert replica.returncode == 0, err.decode()
        reports.append(json.loads(out))
    made = sum(r["increments"] for r in reports)
    assert made == REPLICAS * TASKS_PER_REPLICA * INCREMENTS
    assert sum(r["conflicts"] for r in reports) > 0  # they did race (otherwise this test shows nothing)
    final = await store.get(collection, "counter")
    assert final is not None
    assert final["n"] == made, f"{made - final['n']} of {made} increments lost"
    assert final["_version"] == made + 1
    assert await claims_left(collection) == []


async def test_a_writer_waits_out_a_dead_writers_claim_instead_of_failing() -> None:
    """With real time, the next writer of a document whose writer died mid-write waits until the claim expires and
    then succeeds: consumers see a delay, not a conflict to dead-letter."""
    require_mongo()
    name = unique_name("cas")
    store = MongoDocumentStore(
        MONGO_URL, database=TEST_DATABASE, server_selection_timeout_ms=5000, claim_expiry_seconds=1
    )
    try:
        await store.ensure_collection(name, [Index(("email",), unique=True)])
        v1 = await store.insert(name, {"_id": "d1", "email": "w@example.org", "n": 0})
        await lose_connection_after_claiming(store, name, {**v1, "n": "lost"})
        assert [c["version"] for c in await claims_left(name)] == [1]

        v2 = await store.replace(name, {**v1, "n": "waited"})
        assert (v2["_version"], v2["n"]) == (2, "waited")
        assert await claims_left(name) == []
    finally:
        await store.close()
