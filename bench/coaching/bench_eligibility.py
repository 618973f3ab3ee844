"""Benchmark: the coaching consumer replaying a backlog of events for many staff, then the ladder endpoint's latency.

For each staff member one pathway (Abroad / Rookie) is prepared with its steps done, then nine events per person are
published before the service starts: HR events that do not match, a rejected and an approved review, a submission,
the matching HR event (which makes the badge eligible) and a redelivery of it. An issuer stub answers each
badge.eligible with badge.issued, the tenth event, which moves the ladder. The service then starts and drains the
backlog; the figure is events applied per second until the consumer group has no lag and the outbox is empty. Every
run checks its result: exactly one badge.eligible per staff member, and every ladder shows Rookie held.

    uv run --frozen python bench/coaching/bench_eligibility.py --backend embedded --staff 10000
    REXVET_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 REXVET_MONGO_URL=mongodb://127.0.0.1:27017 \
        uv run --frozen python bench/coaching/bench_eligibility.py --backend kafka --staff 10000

Numbers are printed as JSON lines, one per backend, so runs can be compared side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from pymongo import MongoClient

from rexvet_coaching.app import create_app
from rexvet_coaching.application.records import COLLECTION, StaffRecords
from rexvet_coaching.consumers.handlers import CONSUMED_TOPICS
from rexvet_coaching.default_framework import load_default_framework
from rexvet_coaching.domain import pathways
from rexvet_coaching.domain.achievement import render_achievement, version_url
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.adapters.kafka_event_bus import KafkaSettings
from rexvet_common.adapters.mongo_document_store import MongoSettings, database_name
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.errors import EventBusError
from rexvet_common.events import topics
from rexvet_common.events.envelope import CloudEvent, new_event, partition_key
from rexvet_common.messaging.outbox import PENDING_FIELD
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus, Handler, RetryPolicy
from rexvet_common.settings import PlatformSettings
from rexvet_common.wiring.backends import build_document_store, build_event_bus
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token

EVENTS_PER_STAFF = 10
ISSUER = "http://issuer.bench"
PUBLIC_URL = "https://coaching.bench"
OBSERVER = "bench-observer"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def staff_events(tenant: str, staff_id: str) -> list[tuple[str, CloudEvent]]:
    key = partition_key(tenant, staff_id)
    base = {"institution": tenant, "staff_id": staff_id}

    def hr(hr_type: str, fields: dict[str, Any], event_id: str | None = None) -> tuple[str, CloudEvent]:
        data = {**base, "hr_event_id": str(uuid.uuid4()), "hr_type": hr_type, "occurred_at": _now(), "fields": fields}
        return topics.HR, new_event(
            type="org.rexvet.hr.event.accepted.v1", source="bench/hr", key=key, data=data, event_id=event_id
        )

    def review(decision: str, evidence_id: str) -> tuple[str, CloudEvent]:
        data = {
            **base,
            "evidence_id": evidence_id,
            "decision": decision,
            "reviewer": "c-1",
            "badge_id": "abroad-rookie",
            "requirement_id": "mobility",
            "reviewed_at": _now(),
        }
        return topics.EVIDENCE, new_event(type="org.rexvet.evidence.reviewed.v1", source="bench", key=key, data=data)

    submitted = {**base, "evidence_id": f"ev-{staff_id}-2", "title": "report", "submitted_at": _now()}
    matching = hr("mobility.completed", {"duration_days": 10})
    return [
        hr("training.attended", {"hours": 8, "topic": "welding"}),
        hr("mobility.completed", {"duration_days": 2}),
        hr("guest.hosted", {"visitors": 0}),
        hr("role.changed", {"role": "teacher"}),
        review("rejected", f"ev-{staff_id}-1"),
        (topics.EVIDENCE, new_event(type="org.rexvet.evidence.submitted.v1", source="bench", key=key, data=submitted)),
        matching,
        matching,  # redelivered: must have no second effect
        review("approved", f"ev-{staff_id}-2"),
    ]  # the tenth event, badge.issued, comes from the issuer stub once badge.eligible is out


def issued_for(eligible: CloudEvent) -> CloudEvent:
    """What the issuer answers to badge.eligible (the stub stands in for the issuer service)."""
    data = eligible.data
    issued = {
        "institution": data["institution"],
        "staff_id": data["staff_id"],
        "credential_id": f"urn:uuid:{uuid.uuid4()}",
        "eligibility_id": data["eligibility_id"],
        "badge_id": data["badge_id"],
        "framework_version": data["framework_version"],
        "episode": data["episode"],
        "level": data["level"],
        "issued_at": _now(),
    }
    return new_event(type="org.rexvet.badge.issued.v1", source="bench/issuer", key=eligible.partitionkey, data=issued)


class CountingBus:
    """The configured bus, counting the events each group's handler completed (a Kafka topic may hold older runs)."""

    def __init__(self, inner: EventBus) -> None:
        self.inner = inner
        self.handled: Counter[str] = Counter()

    async def start(self) -> None:
        await self.inner.start()

    async def close(self) -> None:
        await self.inner.close()

    async def publish(self, topic: str, event: CloudEvent) -> None:
        await self.inner.publish(topic, event)

    def subscribe(
        self, topics: Sequence[str], group: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        async def counted(event: CloudEvent) -> None:
            await handler(event)
            self.handled[group] += 1

        self.inner.subscribe(topics, group, counted, retry=retry)

    def subscribe_broadcast(
        self, topics: Sequence[str], name: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        self.inner.subscribe_broadcast(topics, name, handler, retry=retry)

    async def ping(self) -> None:
        await self.inner.ping()

    async def consumer_lag(self, group: str) -> dict[str, int]:
        return await self.inner.consumer_lag(group)


def backends(kind: str, data_dir: Path, run_id: str) -> tuple[CountingBus, DocumentStore, PlatformSettings]:
    if kind == "embedded":
        platform = PlatformSettings(data_dir=data_dir, auth_issuer=ISSUER, log_level="WARNING")
    else:
        missing = [v for v in ("REXVET_KAFKA_BOOTSTRAP_SERVERS", "REXVET_MONGO_URL") if not os.environ.get(v)]
        if missing:
            raise SystemExit(f"--backend kafka needs {', '.join(missing)} (start them with `make infra-up`)")
        os.environ["REXVET_MONGO_DATABASE_PREFIX"] = f"rexvet_bench_{run_id}_"  # dropped at the end of the run
        platform = PlatformSettings(
            data_dir=data_dir, auth_issuer=ISSUER, log_level="WARNING", bus="kafka", documents="mongo"
        )
    settings = CoachingSettings(platform=platform, public_url=PUBLIC_URL)
    return CountingBus(build_event_bus(settings)), build_document_store(settings), platform


async def start_groups_at_end(platform: PlatformSettings, groups: dict[str, Sequence[str]]) -> None:
    """On a shared Kafka the topics hold older runs' events, and a new group starts at the earliest offset: commit
    each group's offsets at the current ends first, so a run measures its own events only."""
    bootstrap = KafkaSettings().bootstrap_servers
    for group, group_topics in groups.items():
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            metadata = await consumer._client.fetch_all_metadata()  # the public calls may not have it yet
            partitions = [
                TopicPartition(topic, p) for topic in group_topics for p in metadata.partitions_for_topic(topic) or ()
            ]
            if not partitions:
                continue  # no such topics yet: nothing older to skip
            consumer.assign(partitions)
            await consumer.seek_to_end(*partitions)
            await consumer.commit({tp: await consumer.position(tp) for tp in partitions})
        finally:
            await consumer.stop()


def drop_bench_database(platform: PlatformSettings) -> None:
    if platform.documents != "mongo":
        return
    mongo = MongoSettings()
    client: MongoClient[dict[str, Any]] = MongoClient(mongo.url.get_secret_value())
    with client:
        client.drop_database(database_name(CoachingSettings(platform=platform).service_name, mongo))


async def seed(records: StaffRecords, tenant: str, staff: list[str]) -> None:
    framework = load_default_framework()
    achievement = render_achievement(framework, framework.badges[3], version_url(PUBLIC_URL, framework))
    now = datetime.now(UTC)

    def command(record: Any) -> tuple[None, list[Any]]:
        record.coach_id = "c-1"
        enrolment, _ = pathways.enrol(record, framework, "abroad-rookie", achievement=achievement, now=now)
        for step in ("learning-goals", "take-part"):
            pathways.complete_step(record, enrolment.id, step, actor=record.staff_id, now=now)
        pathways.sign_off_step(record, enrolment.id, "coach-debrief", coach="c-1", now=now)
        return None, []  # seeding is not what is measured: no events for it

    semaphore = asyncio.Semaphore(16)

    async def one(staff_id: str) -> None:
        async with semaphore:
            await records.change(tenant, staff_id, command)

    await asyncio.gather(*(one(s) for s in staff))


@asynccontextmanager
async def service(
    bus: CountingBus, documents: DocumentStore, platform: PlatformSettings, ring: SigningKeyRing, group: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = CoachingSettings(platform=platform, public_url=PUBLIC_URL, consumer_group=group)
    app = create_app(settings, keys=StaticJwks(ring.jwks), bus=bus, documents=documents)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        yield client


async def run(kind: str, n_staff: int, ladder_requests: int, tenant: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rexvet-bench-") as tmp:
        data_dir = Path(tmp)
        bus, documents, platform = backends(kind, data_dir, tenant.removeprefix("bench-"))
        try:
            return await measure(kind, bus, documents, platform, data_dir, n_staff, ladder_requests, tenant)
        finally:
            if kind == "kafka":
                drop_bench_database(platform)


async def publish_backlog(bus: CountingBus, per_staff: list[list[tuple[str, CloudEvent]]]) -> None:
    semaphore = asyncio.Semaphore(32)

    async def publish(topic: str, event: CloudEvent) -> None:
        async with semaphore:
            await bus.publish(topic, event)

    # per key the order matters: publish one round of every person at a time
    for j in range(EVENTS_PER_STAFF - 1):
        await asyncio.gather(*(publish(*events[j]) for events in per_staff))


async def ladder_latency(
    client: httpx.AsyncClient, ring: SigningKeyRing, tenant: str, staff: list[str], requests: int
) -> tuple[list[float], int]:
    """Milliseconds per `GET /v1/staff/{id}/ladder` (in-process ASGI: no network), and how many answers were wrong."""
    token = mint_access_token(
        ring.ensure(allow_create=False),
        issuer=ISSUER,
        audience="rexvet",
        sub="m-1",
        tenant=tenant,
        roles=["manager"],
        scopes=["coaching:read"],
        ttl_seconds=3600,
    )
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    wrong = 0
    rng = random.Random(7)
    for _ in range(requests):
        staff_id = rng.choice(staff)
        t = time.perf_counter()
        r = await client.get(f"/v1/staff/{staff_id}/ladder", headers=headers)
        latencies.append((time.perf_counter() - t) * 1000)
        abroad = next(d for d in r.json()["directions"] if d["direction"]["id"] == "abroad")
        if r.status_code != 200 or (abroad["level_held"] or {}).get("id") != "rookie":
            if not wrong:
                print(json.dumps(abroad), file=sys.stderr)
            wrong += 1
    return sorted(latencies), wrong


async def measure(
    kind: str,
    bus: CountingBus,
    documents: DocumentStore,
    platform: PlatformSettings,
    data_dir: Path,
    n_staff: int,
    ladder_requests: int,
    tenant: str,
) -> dict[str, Any]:
    ring = SigningKeyRing(data_dir / "keys")
    ring.create()
    staff = [f"s-{i:06d}" for i in range(n_staff)]
    records = StaffRecords(documents)
    await records.prepare()

    t = time.perf_counter()
    await seed(records, tenant, staff)
    seed_seconds = time.perf_counter() - t
    print(f"  {kind}: seeded {n_staff} staff in {seed_seconds:.1f}s", file=sys.stderr)

    group = f"coaching-{uuid.uuid4().hex[:8]}"
    observer = f"{OBSERVER}-{uuid.uuid4().hex[:8]}"
    if kind == "kafka":
        await start_groups_at_end(platform, {group: CONSUMED_TOPICS, observer: [topics.COACHING]})
    per_staff = [staff_events(tenant, s) for s in staff]
    total_events = sum(len(events) + 1 for events in per_staff)  # + the badge.issued of each
    t = time.perf_counter()
    await publish_backlog(bus, per_staff)
    publish_seconds = time.perf_counter() - t
    print(f"  {kind}: published {total_events - n_staff} events in {publish_seconds:.1f}s", file=sys.stderr)

    eligible_seen: list[str] = []  # every delivery of badge.eligible (at least once: may repeat an event)
    eligible_ids: dict[str, str] = {}  # event id -> eligibility id, for the distinct events emitted
    issued: list[str] = []

    async def issuer_stub(event: CloudEvent) -> None:
        if event.type != "org.rexvet.badge.eligible.v1" or event.data["institution"] != tenant:
            return
        eligible_seen.append(event.data["staff_id"])
        if event.id in eligible_ids:
            return  # a redelivery: the stub is idempotent by event id, like every consumer
        eligible_ids[event.id] = event.data["eligibility_id"]
        await bus.publish(topics.ISSUER, issued_for(event))
        issued.append(event.data["staff_id"])

    bus.subscribe([topics.COACHING], observer, issuer_stub)
    t = time.perf_counter()
    async with service(bus, documents, platform, ring, group) as client:
        last_report = time.perf_counter()
        while True:
            await asyncio.sleep(0.05 if kind == "embedded" else 0.5)
            try:
                lag = await bus.consumer_lag(group)
            except EventBusError as exc:  # reading offsets can fail transiently on Kafka: ask again
                print(f"(lag not readable: {exc})", file=sys.stderr)
                continue
            pending = await documents.count(COLLECTION, {PENDING_FIELD: True})
            if lag and not any(lag.values()) and pending == 0 and len(issued) >= n_staff:
                break
            if time.perf_counter() - last_report > 10:
                last_report = time.perf_counter()
                print(
                    f"  {kind}: handled {bus.handled[group]}, lag {lag}, outbox {pending}, issued {len(issued)}",
                    file=sys.stderr,
                )
        apply_seconds = time.perf_counter() - t
        handled = bus.handled[group]
        await asyncio.sleep(1.0)  # a late duplicate would show up here
        latencies, wrong = await ladder_latency(client, ring, tenant, staff, ladder_requests)
    quantile = statistics.quantiles(latencies, n=100)
    return {
        "backend": kind,
        "staff": n_staff,
        "events": total_events,
        "seed_seconds": round(seed_seconds, 2),
        "publish_seconds": round(publish_seconds, 2),
        "apply_seconds": round(apply_seconds, 2),
        "events_handled": handled,
        "events_per_second": round(handled / apply_seconds, 1),
        "badge_eligible_events": len(eligible_ids),
        "badge_eligible_deliveries": len(eligible_seen),
        "duplicate_eligibility": len(eligible_ids) - len(set(eligible_ids.values())),
        "ladder_requests": ladder_requests,
        "ladder_ms_p50": round(quantile[49], 2),
        "ladder_ms_p95": round(quantile[94], 2),
        "ladder_ms_p99": round(quantile[98], 2),
        "ladder_wrong_answers": wrong,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["embedded", "kafka"], action="append", required=True)
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--ladder-requests", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    failed = False
    for kind in args.backend:
        tenant = f"bench-{uuid.uuid4().hex[:8]}"  # a fresh institution: a reused Kafka topic holds older runs
        result = asyncio.run(run(kind, args.staff, args.ladder_requests, tenant))
        print(json.dumps(result), flush=True)
        failed |= result["duplicate_eligibility"] != 0 or result["badge_eligible_events"] != args.staff
        failed |= result["ladder_wrong_answers"] != 0
        # Every event published must have been handled: fewer means some were dead-lettered (a handler kept failing).
        if result["events_handled"] < result["events"]:
            print(f"{kind}: {result['events'] - result['events_handled']} events not handled (dead-lettered?)")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
