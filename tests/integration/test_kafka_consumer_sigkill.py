"""A Kafka consumer killed with SIGKILL in the middle of a batch: another instance of its group resumes from the last
commit, re-reads what the dead one had applied but not committed, and the idempotent effect absorbs it, so every
event has exactly one effect."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the contract suites' helpers

from contract.messaging_effects import count_once, tally
from contract.real_engines import MONGO_URL, TEST_DATABASE, require_kafka, require_mongo
from contract.support import make_event, unique_name, unique_topic, wait_until
from contract.test_event_bus_real_kafka import kafka_bus

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.events.envelope import CloudEvent

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

WORKER = Path(__file__).resolve().parent / "kafka_kill_worker.py"
EVENTS = 120
KILL_AFTER = 45
KEYS = [f"inst-{n}:staff" for n in range(4)]


async def test_a_consumer_killed_mid_batch_resumes_without_loss_or_double_effect() -> None:
    require_kafka()
    require_mongo()
    topic, group, effects = unique_topic(), unique_name("killed"), unique_name("effects")
    store, publisher = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE), kafka_bus()
    survivor = kafka_bus()
    try:
        await publisher.start()
        events = [make_event(KEYS[n % len(KEYS)], n) for n in range(EVENTS)]
        for event in events:  # all there before the worker starts, so its first fetch is a full batch
            await publisher.publish(topic, event)

        job = {"topic": topic, "group": group, "effects": effects, "kill_after": KILL_AFTER}
        worker = await asyncio.create_subprocess_exec(
            sys.executable, str(WORKER), json.dumps(job), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        stdout, stderr = await asyncio.wait_for(worker.communicate(), timeout=180)
        assert worker.returncode == -signal.SIGKILL, stderr.decode(errors="replace")[-2000:]
        dead_applied = [line.split()[1] for line in stdout.decode().splitlines() if line.startswith("applied ")]
        assert len(dead_applied) == KILL_AFTER

        outcomes: dict[str, list[bool]] = {}

        async def handler(event: CloudEvent) -> None:
            # Recorded once the effect is written: `outcomes.setdefault(...).append(await ...)` would put the id in
            # `outcomes` before the await (Python evaluates the receiver first), and the wait below could end with
            # the last write still in flight. That is what failed this test now and then on a busy machine.
            applied = await count_once(store, effects, event)
            outcomes.setdefault(event.id, []).append(applied)

        survivor.subscribe([topic], group, handler)
        await survivor.start()
        remaining = {e.id for e in events} - set(dead_applied)
        # A key's events come in order, so once the rest is applied, the re-read ones before them were handled too.
        await wait_until(lambda: remaining <= set(outcomes), "the survivor to apply the rest", 180)

        totals = [await tally(store, effects, key) for key in KEYS]
        # nothing lost, nothing applied twice; on failure, say which events and how each was handled
        accounting = await _accounting(store, effects, events, dead_applied, outcomes)
        assert totals == [EVENTS // len(KEYS)] * len(KEYS), accounting
        redelivered = [event_id for event_id in dead_applied if event_id in outcomes]
        assert redelivered, "the dead consumer's uncommitted events must come again"
        assert all(outcomes[event_id] == [False] for event_id in redelivered)  # and change nothing the second time
    finally:
        await survivor.close()
        await publisher.close()
        await store.close()


async def _accounting(
    store: MongoDocumentStore,
    effects: str,
    events: list[CloudEvent],
    dead_applied: list[str],
    outcomes: dict[str, list[bool]],
) -> str:
    """Per key: the events whose id is missing from its document, and how the dead worker and the survivor saw them."""
    lines = []
    for key in KEYS:
        document = await store.get(effects, key) or {}
        recorded = document.get("_applied_events", [])
        ids = [e.id for e in events if e.partitionkey == key]
        missing = [i for i in ids if i not in recorded]
        doubled = sorted({i for i in recorded if recorded.count(i) > 1})
        lines.append(
            f"{key}: count {document.get('count')} version {document.get('_version')} recorded {len(recorded)};"
            f" missing {[(i, i in dead_applied, outcomes.get(i)) for i in missing]}; doubled {doubled}"
        )
    return "\n".join(lines)
