"""A consumer process that SIGKILLs itself in the middle of a batch; test_kafka_consumer_sigkill.py starts it.

    python kafka_kill_worker.py JSON    {"topic", "group", "effects", "kill_after"}

It consumes as the group with the idempotent effect of the messaging contract (`count_once` on FerretDB), prints
one line per applied event, and dies by SIGKILL right after the `kill_after`-th effect, before the bus commits.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers

from contract.messaging_effects import count_once
from contract.real_engines import MONGO_URL, TEST_DATABASE
from contract.test_event_bus_real_kafka import kafka_bus

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.event_bus import RetryPolicy


async def main(job: dict[str, object]) -> None:
    store = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE)
    bus = kafka_bus()
    applied = 0
    kill_after = int(str(job["kill_after"]))

    async def handler(event: CloudEvent) -> None:
        nonlocal applied
        await count_once(store, str(job["effects"]), event)
        applied += 1
        sys.stdout.write(f"applied {event.id}\n")
        sys.stdout.flush()
        if applied == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)  # mid-batch: the batch's offsets are never committed

    bus.subscribe([str(job["topic"])], str(job["group"]), handler, retry=RetryPolicy(max_attempts=3))
    await bus.start()
    await asyncio.sleep(120)  # the handler kills the process long before this ends


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
