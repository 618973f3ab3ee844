"""A replica that increments a shared counter by read-modify-write; test_document_store_cas.py runs several at once.

    python document_store_cas_counter_worker.py JSON    {"collection", "document", "increments", "tasks"}

Each of `tasks` concurrent tasks adds 1 to the document's `n` `increments` times, re-reading and trying again on a
version conflict, as services do. It prints how many increments it made and how many conflicts it met.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers

from contract.real_engines import MONGO_URL, TEST_DATABASE

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.errors import VersionConflictError

GIVE_UP_AFTER = 10_000  # conflicts in a row: only a guard against a livelock


async def main(job: dict[str, Any]) -> None:
    store = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE)
    collection, doc_id = str(job["collection"]), str(job["document"])
    conflicts = 0

    async def increment() -> None:
        nonlocal conflicts
        for _ in range(GIVE_UP_AFTER):
            current = await store.get(collection, doc_id)
            assert current is not None
            try:
                await store.replace(collection, {**current, "n": current["n"] + 1})
                return
            except VersionConflictError:
                conflicts += 1
        raise RuntimeError(f"{GIVE_UP_AFTER} conflicts in a row")

    async def task() -> None:
        for _ in range(int(job["increments"])):
            await increment()

    await asyncio.gather(*(task() for _ in range(int(job["tasks"]))))
    await store.close()
    sys.stdout.write(json.dumps({"increments": int(job["increments"]) * int(job["tasks"]), "conflicts": conflicts}))


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
