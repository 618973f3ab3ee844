"""A service process that dies by SIGKILL at a chosen moment; the messaging contract starts it as a subprocess.

Run as `python tests/contract/crash_worker.py MODE JSON` (see messaging_contract.py for the JSON):
- `state-change`: stores a document with its event in the outbox, then dies before any relay runs.
- `publish`: publishes a document's pending events as the relay would, then dies before clearing them.
- `consume`: consumes as the group, applies the effect (apply_once), then dies before the bus acknowledges.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, so that `contract.*` imports

from contract.factory_spec import FactorySpec
from contract.messaging_effects import count_once, tracked_document
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.messaging.outbox import OUTBOX_INDEX, add_to_outbox, pending_events
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus, RetryPolicy


def die() -> None:
    sys.stdout.write("about to die\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


async def state_change(job: dict[str, Any], store: DocumentStore) -> None:
    await store.ensure_collection(job["records"], [OUTBOX_INDEX])
    event = CloudEvent.model_validate(job["event"])
    await store.insert(job["records"], add_to_outbox(tracked_document(job["doc_id"]), job["topic"], event))
    die()


async def publish(job: dict[str, Any], store: DocumentStore, bus: EventBus) -> None:
    await bus.start()
    document = await store.get(job["records"], job["doc_id"])
    assert document is not None
    for topic, event in pending_events(document):
        await bus.publish(topic, event)
    die()


async def consume(job: dict[str, Any], store: DocumentStore, bus: EventBus) -> None:
    async def handler(event: CloudEvent) -> None:
        await count_once(store, job["effects"], event)
        die()  # the effect is stored; the acknowledgement never happens

    bus.subscribe([job["topic"]], job["group"], handler, retry=RetryPolicy(max_attempts=1))
    await bus.start()
    await asyncio.sleep(60)  # the handler kills the process long before this ends


async def main(mode: str, job: dict[str, Any]) -> None:
    store: DocumentStore = FactorySpec.from_json(job["store"]).build()
    if mode == "state-change":
        await state_change(job, store)
        return
    bus: EventBus = FactorySpec.from_json(job["bus"]).build()
    await (publish(job, store, bus) if mode == "publish" else consume(job, store, bus))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], json.loads(sys.argv[2])))
