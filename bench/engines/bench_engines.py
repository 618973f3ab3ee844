"""Benchmark: the real-engine adapters against the raw drivers doing the same work, on the local servers.

- Kafka: events per second through `KafkaEventBus` (publish, consume as a group, commit after the handler) against
  raw aiokafka doing the same: an idempotent producer sending the same CloudEvent JSON keyed the same way, a group
  consumer decoding each record into a CloudEvent, calling the same trivial handler, committing after each batch.
  Timed from the first publish until the last event was handled; the consumers have joined their group before.
- Documents: inserts and compare-and-swap updates per second through `MongoDocumentStore` against raw PyMongo
  (`AsyncMongoClient`: insert_one, then replace_one filtered on `_id` and `_version`), on FerretDB.

Runs alternate (adapter, raw, adapter, raw, ...) after one warm-up of each; the figure is the median of the runs of
each, and the ratio adapter / raw. Every run checks that it did all its work (every event handled, every document at
version 2) and fails otherwise. Both Kafka sides do the same work: the same CloudEvent JSON (carrying a `traceparent`,
as the services' events do), idempotent producer with linger 2 ms, up to 500 records a fetch, each record decoded
into a `CloudEvent` and handed to the same handler, a commit after each fetched batch. `--tracing` installs the SDK
tracer provider the services install (without an OTLP endpoint its spans carry ids but are not recorded); without it
tracing is off (the API's no-op provider), and the adapter still runs each handler in the event's trace context.

    bash bench/engines/run.sh [--runs 5] [--only kafka|documents] [--tracing]

Measured on the 2-core machine with other work beside it (2026-11-28, 18:40 UTC), median of 5, 10 invocations:
Kafka without tracing about 11,000 events/s through the adapter against 13,000 raw, 80-92% (typically 83-86%); the
same benchmark on the code before the delivery-path work gave 59-76%. With `--tracing` 48-65% (before: 42-50%) while the
services recorded every span even with nowhere to export it (the SDK's cost of one recorded span per event is about
25-40 us here); since they no longer record spans without an endpoint, `--tracing` gave 81%, 84% and 76% in three
invocations (18:50 UTC). Documents 32 ops/s against 30 raw (parity: FerretDB on SQLite is the bottleneck).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from pymongo import AsyncMongoClient

from rexvet_common.adapters.kafka_event_bus import KafkaEventBus
from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.ports.event_bus import RetryPolicy
from rexvet_common.telemetry.tracing import configure_tracing

KAFKA = os.environ.get("REXVET_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MONGO = os.environ.get("REXVET_MONGO_URL", "mongodb://127.0.0.1:27017/")
DATABASE = "rexvet_bench_engines"
EVENT_TYPE = "org.rexvet.bench.measured.v1"
PARTITIONS = 6
PUBLISH_WINDOW = 100  # events published concurrently, by both sides alike
PATIENCE_S = 300.0


def events(count: int) -> list[CloudEvent]:
    # Like the services' events, each carries the trace it was created in (the adapter continues it; raw ignores it).
    return [
        new_event(
            type=EVENT_TYPE,
            source="rexvet/bench",
            key=f"inst-{n % 50}:staff-{n % 997}",
            data={"n": n},
            traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
        )
        for n in range(count)
    ]


async def publish_in_windows(batch: list[CloudEvent], publish: Callable[[CloudEvent], Awaitable[None]]) -> None:
    for start in range(0, len(batch), PUBLISH_WINDOW):
        await asyncio.gather(*(publish(e) for e in batch[start : start + PUBLISH_WINDOW]))


async def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"benchmark run did not finish: {what}")
        await asyncio.sleep(0.005)


# --- Kafka ---------------------------------------------------------------------------------------------------------


async def kafka_adapter_run(count: int) -> float:
    topic, group = f"rexvet.bench{uuid.uuid4().hex[:10]}.v1", f"bench-{uuid.uuid4().hex[:10]}"
    handled: set[str] = set()

    async def handler(event: CloudEvent) -> None:
        handled.add(event.id)

    consumer = KafkaEventBus(bootstrap_servers=KAFKA, client_id="bench", partitions=PARTITIONS)
    publisher = KafkaEventBus(bootstrap_servers=KAFKA, client_id="bench", partitions=PARTITIONS)
    consumer.subscribe([topic], group, handler, retry=RetryPolicy(max_attempts=1))
    batch = events(count)
    try:
        await consumer.start()  # creates the topic and joins the group
        await publisher.start()
        started = time.perf_counter()
        await publish_in_windows(batch, lambda e: publisher.publish(topic, e))
        await wait_for(lambda: len(handled) == count, f"{count - len(handled)} events not handled")
        return count / (time.perf_counter() - started)
    finally:
        await consumer.close()
        await publisher.close()


async def kafka_raw_run(count: int) -> float:
    topic, group = f"rexvet.bench{uuid.uuid4().hex[:10]}.v1", f"bench-{uuid.uuid4().hex[:10]}"
    handled: set[str] = set()

    async def handler(event: CloudEvent) -> None:
        handled.add(event.id)

    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    await admin.start()
    await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, enable_idempotence=True, linger_ms=2)
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=KAFKA, group_id=group, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    batch = events(count)
    stop = False

    async def consume() -> None:
        while not stop:
            records = await consumer.getmany(timeout_ms=200, max_records=500)
            for partition_records in records.values():
                for record in partition_records:
                    await handler(CloudEvent.from_json_bytes(record.value or b""))
            if records:
                await consumer.commit()

    async def publish(event: CloudEvent) -> None:
        await producer.send_and_wait(topic, event.to_json_bytes(), key=event.partitionkey.encode())

    await producer.start()
    await consumer.start()
    task = asyncio.create_task(consume())
    try:
        await wait_for(lambda: bool(consumer.assignment()), "the raw consumer to join its group")
        started = time.perf_counter()
        await publish_in_windows(batch, publish)
        await wait_for(lambda: len(handled) == count, f"{count - len(handled)} events not handled")
        return count / (time.perf_counter() - started)
    finally:
        stop = True
        await task
        await consumer.stop()
        await producer.stop()


# --- documents -----------------------------------------------------------------------------------------------------


def document(n: int) -> dict[str, Any]:
    return {"_id": f"d{n:06d}", "tenant": f"inst-{n % 20}", "state": "submitted", "payload": {"n": n, "tags": ["a"]}}


async def in_parallel(count: int, concurrency: int, work: Callable[[int], Awaitable[None]]) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(n: int) -> None:
        async with gate:
            await work(n)

    await asyncio.gather(*(one(n) for n in range(count)))


async def documents_adapter_run(count: int, concurrency: int) -> float:
    store = MongoDocumentStore(MONGO, database=DATABASE)
    collection = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        await store.ensure_collection(collection)
        stored: dict[int, dict[str, Any]] = {}

        async def insert(n: int) -> None:
            stored[n] = await store.insert(collection, document(n))

        async def update(n: int) -> None:
            await store.replace(collection, {**stored[n], "state": "reviewed"})

        started = time.perf_counter()
        await in_parallel(count, concurrency, insert)
        await in_parallel(count, concurrency, update)
        elapsed = time.perf_counter() - started
        if await store.count(collection) != count or (await store.get(collection, "d000000") or {})["_version"] != 2:
            raise RuntimeError("the adapter run did not store every update")
        return 2 * count / elapsed
    finally:
        await store.close()


async def documents_raw_run(count: int, concurrency: int) -> float:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGO)
    collection = client[DATABASE][f"bench_{uuid.uuid4().hex[:10]}"]
    try:
        await client[DATABASE].create_collection(collection.name)

        async def insert(n: int) -> None:
            await collection.insert_one({**document(n), "_version": 1})

        async def update(n: int) -> None:
            result = await collection.replace_one(
                {"_id": f"d{n:06d}", "_version": 1}, {**document(n), "state": "reviewed", "_version": 2}
            )
            if result.matched_count != 1:
                raise RuntimeError("compare-and-swap missed")

        started = time.perf_counter()
        await in_parallel(count, concurrency, insert)
        await in_parallel(count, concurrency, update)
        elapsed = time.perf_counter() - started
        if await collection.count_documents({"_version": 2}) != count:
            raise RuntimeError("the raw run did not store every update")
        return 2 * count / elapsed
    finally:
        await client.close()


# --- tracing -------------------------------------------------------------------------------------------------------


def tracing_note() -> str:
    return "; tracing on" if isinstance(trace.get_tracer_provider(), TracerProvider) else ""


# --- alternation ---------------------------------------------------------------------------------------------------


async def compare(
    name: str, unit: str, runs: int, adapter: Callable[[], Awaitable[float]], raw: Callable[[], Awaitable[float]]
) -> dict[str, Any]:
    await adapter()  # warm-up: connections, JIT of the broker, first topic and collection
    await raw()
    adapter_rates: list[float] = []
    raw_rates: list[float] = []
    for _ in range(runs):
        adapter_rates.append(await adapter())
        raw_rates.append(await raw())
    result = {
        "benchmark": name,
        "unit": unit,
        "runs": runs,
        "tracing": bool(tracing_note()),
        "adapter_median": round(statistics.median(adapter_rates), 1),
        "raw_median": round(statistics.median(raw_rates), 1),
        "ratio": round(statistics.median(adapter_rates) / statistics.median(raw_rates), 3),
        "adapter_runs": [round(r, 1) for r in adapter_rates],
        "raw_runs": [round(r, 1) for r in raw_rates],
    }
    print(
        f"{name}: adapter {result['adapter_median']} {unit}, raw {result['raw_median']} {unit}, "
        f"adapter/raw = {result['ratio']:.0%} (median of {runs} alternating runs each{tracing_note()})",
        file=sys.stderr,
    )
    print(json.dumps(result))
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--only", choices=["kafka", "documents"])
    parser.add_argument(
        "--tracing",
        action="store_true",
        help="install the SDK tracer provider as the services do (spans recorded, exported nowhere); "
        "without it, tracing is off (the API's no-op provider)",
    )
    args = parser.parse_args()
    if args.tracing:
        configure_tracing("rexvet-bench", None)
    if args.only in (None, "kafka"):
        await compare(
            "kafka publish+consume+commit",
            "events/s",
            args.runs,
            lambda: kafka_adapter_run(args.events),
            lambda: kafka_raw_run(args.events),
        )
    if args.only in (None, "documents"):
        await compare(
            "documents insert+CAS update (FerretDB)",
            "ops/s",
            args.runs,
            lambda: documents_adapter_run(args.documents, args.concurrency),
            lambda: documents_raw_run(args.documents, args.concurrency),
        )


if __name__ == "__main__":
    asyncio.run(main())
