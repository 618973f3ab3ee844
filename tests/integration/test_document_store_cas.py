"""The MongoDB-wire store's compare-and-swap on the local FerretDB 2 (or MongoDB), beyond the contract's race.

The race itself (writers of one version in one process: exactly one wins) is in the document store contract. Here:
replicas (separate processes) incrementing one counter lose no increment, a writer killed the moment it sends its
write leaves nothing that holds the document up, a write the database refused changes nothing and blocks nobody, and
a stale writer (or deleter) learns which version the document is at.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers

from contract.real_engines import MONGO_URL, TEST_DATABASE, require_mongo
from contract.support import unique_name

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.errors import DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import Document, Index

pytestmark = pytest.mark.integration

WORKER = Path(__file__).resolve().parent / "document_store_cas_crash_worker.py"
COUNTER_WORKER = Path(__file__).resolve().parent / "document_store_cas_counter_worker.py"
REPLICAS, TASKS_PER_REPLICA, INCREMENTS = 3, 3, 20


@pytest.fixture
async def store() -> AsyncIterator[MongoDocumentStore]:
    require_mongo()
    opened = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE, server_selection_timeout_ms=5000)
    yield opened
    await opened.close()


@pytest.fixture
async def collection(store: MongoDocumentStore) -> str:
    name: str = unique_name("cas")
    await store.ensure_collection(name, [Index(("email",), unique=True)])
    return name


async def crash_while_writing(collection: str, document: Document) -> None:
    """A writer process that sends its replace and is killed before it hears the answer."""
    job = {"collection": collection, "document": document}
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), json.dumps(job), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(worker.communicate(), timeout=60)
    assert out.decode().splitlines() == ["sending"], (out, err)
    assert worker.returncode == -9, (worker.returncode, err)


async def test_a_writer_killed_mid_write_leaves_nothing_that_holds_the_document_up(
    store: MongoDocumentStore, collection: str
) -> None:
    v1 = await store.insert(collection, {"_id": "d1", "email": "a@example.org", "n": 0})
    await crash_while_writing(collection, {**v1, "n": "dead writer"})
    # Its write landed or it did not: either way the document is at one of the two versions, whole.
    current = await store.get(collection, "d1")
    assert current in (v1, {**v1, "n": "dead writer", "_version": 2})
    assert current is not None
    after = await store.replace(collection, {**current, "n": "next"})  # at once: nothing to wait out
    assert after["_version"] == current["_version"] + 1
    with pytest.raises(VersionConflictError):
        await store.replace(collection, {**current, "n": "stale"})


async def test_a_write_the_database_refused_changes_nothing_and_blocks_nobody(
    store: MongoDocumentStore, collection: str
) -> None:
    await store.insert(collection, {"_id": "d1", "email": "taken@example.org"})
    v1 = await store.insert(collection, {"_id": "d2", "email": "b@example.org"})
    with pytest.raises(DuplicateKeyError):
        await store.replace(collection, {**v1, "email": "taken@example.org"})
    assert await store.get(collection, "d2") == v1
    v2 = await store.replace(collection, {**v1, "email": "c@example.org"})
    assert v2["_version"] == 2


async def test_a_stale_writer_and_a_stale_deleter_learn_the_current_version(
    store: MongoDocumentStore, collection: str
) -> None:
    v1 = await store.insert(collection, {"_id": "d1", "email": "a@example.org", "n": 0})
    current = v1
    for n in range(3):
        current = await store.replace(collection, {**current, "n": n + 1})
    with pytest.raises(VersionConflictError, match="is at version 4, not 1"):
        await store.replace(collection, {**v1, "n": "stale"})
    with pytest.raises(VersionConflictError, match="is at version 4, not 2"):
        await store.delete(collection, "d1", expected_version=2)
    assert await store.get(collection, "d1") == current
    assert await store.delete(collection, "d1", expected_version=4)
    assert not await store.delete(collection, "d1", expected_version=4)


async def test_replicas_incrementing_one_counter_lose_no_increment(store: MongoDocumentStore, collection: str) -> None:
    # Separate processes, as replicas of a service are: every increment each of them made is in the final count.
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
