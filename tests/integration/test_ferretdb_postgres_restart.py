"""A restart of the PostgreSQL under FerretDB 2 is an outage to wait out, never a refusal: every read and write in
flight fails as `BackendUnavailableError` (which the services answer with a 503 and their consumers retry), and the
store works again once PostgreSQL is back.

Before FerretDB's bare "terminating connection due to administrator command" was known as an outage, the same
restart turned reads and writes into `DocumentStoreError`s, which the API answered with a 500 (the chaos drill's
complete-step and HR push answers in CI)."""

from __future__ import annotations

import asyncio
import collections
from pathlib import Path

import pytest
from real_engine_helpers import dedicated_infra

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.errors import BackendUnavailableError, DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import Index

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

WRITERS = 8
RESTARTS = 3
COLLECTION = "restart"


async def _writer(store: MongoDocumentStore, n: int, stop: asyncio.Event, seen: collections.Counter[str]) -> list[str]:
    """Reads, inserts, replaces and queries in a loop, as a busy service does; returns what it could not explain."""
    unexplained: list[str] = []
    i = 0
    while not stop.is_set():
        i += 1
        doc_id = f"w{n}-{i % 10}"
        try:
            current = await store.get(COLLECTION, doc_id)
            if current is None:
                await store.insert(COLLECTION, {"_id": doc_id, "writer": n, "count": 0})
            else:
                await store.replace(COLLECTION, {**current, "count": current["count"] + 1})
            await store.find(COLLECTION, {"writer": n}, limit=5)
            await store.count(COLLECTION, {"writer": n})
            seen["done"] += 1
        except BackendUnavailableError:
            seen["unavailable"] += 1
            await asyncio.sleep(0.05)
        except (VersionConflictError, DuplicateKeyError):
            seen["conflict"] += 1  # a write of ours that landed before its answer was lost, read again
        except Exception as exc:  # what this test is looking for
            unexplained.append(f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(0.05)
    return unexplained


async def test_reads_and_writes_through_postgresql_restarts_are_outages_not_refusals(tmp_path: Path) -> None:
    with dedicated_infra(tmp_path / "infra", only=("mongo",)) as servers:
        store = MongoDocumentStore(
            servers.settings["REXVET_MONGO_URL"], database="restart_drill", server_selection_timeout_ms=2000
        )
        try:
            await store.ensure_collection(COLLECTION, [Index(("writer",))])
            stop, seen = asyncio.Event(), collections.Counter[str]()
            writers = [asyncio.create_task(_writer(store, n, stop, seen)) for n in range(WRITERS)]
            for _ in range(RESTARTS):
                await asyncio.sleep(2)
                await asyncio.to_thread(servers.restart_postgres)
            done_before = seen["done"]
            await asyncio.sleep(3)
            stop.set()
            unexplained = [problem for found in await asyncio.gather(*writers) for problem in found]
        finally:
            await store.close()
    assert seen["unavailable"], f"the restarts must have been felt, or nothing was tested: {dict(seen)}"
    assert not unexplained, f"{len(unexplained)} errors that are not outages: {sorted(set(unexplained))[:5]}"
    assert seen["done"] > done_before, f"the store must work again after the restarts: {dict(seen)}"
