"""A writer process that dies by SIGKILL while its write is on its way; test_document_store_cas.py runs it.

    python document_store_cas_crash_worker.py JSON    {"collection", "document"}

It replaces `document` (as read, with its `_version`) through the MongoDB-wire store and kills itself right after
the store hands the write to the driver: the write may or may not reach the database, the answer never comes back.
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

real_replace_one = AsyncCollection.replace_one


async def send_and_die(self: AsyncCollection[Any], *args: Any, **kwargs: Any) -> Any:
    sys.stdout.write("sending\n")
    sys.stdout.flush()
    write = asyncio.ensure_future(real_replace_one(self, *args, **kwargs))
    await asyncio.sleep(0)  # let the driver start sending
    os.kill(os.getpid(), signal.SIGKILL)
    return await write


async def main(job: dict[str, Any]) -> None:
    store = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE)
    AsyncCollection.replace_one = send_and_die  # type: ignore[method-assign]
    await store.replace(str(job["collection"]), dict(job["document"]))
    sys.stdout.write("wrote (the kill did not happen)\n")


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
