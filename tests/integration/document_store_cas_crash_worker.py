"""A writer process that dies by SIGKILL between claiming a version and writing it; test_document_store_cas.py runs it.

    python document_store_cas_crash_worker.py JSON    {"collection", "document", "clock"}

It replaces `document` (as read, with its `_version`) through the MongoDB-wire store whose clock reads `clock`, and
kills itself the moment the store sends the write: the claim is in the database, the write never leaves the process.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers

from contract.real_engines import MONGO_URL, TEST_DATABASE
from pymongo.asynchronous.collection import AsyncCollection

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore


async def die_instead_of_writing(*_args: Any, **_kwargs: Any) -> None:
    sys.stdout.write("claimed\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


async def main(job: dict[str, Any]) -> None:
    clock = float(job["clock"])
    store = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE, clock=lambda: clock)
    AsyncCollection.replace_one = die_instead_of_writing  # type: ignore[method-assign,assignment]
    await store.replace(str(job["collection"]), dict(job["document"]))
    sys.stdout.write("wrote (the kill did not happen)\n")


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
