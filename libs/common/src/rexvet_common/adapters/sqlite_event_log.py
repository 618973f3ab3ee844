"""Embedded event bus: a durable event log in one SQLite file (WAL) shared by the service processes.

Each topic has a fixed number of partitions (crc32 of the key), so one key's events stay in order. A consumer group
keeps its offsets in the file, so it resumes where it stopped after a restart; a new group starts at the beginning
of the log. Within a group, each partition is served by one instance at a time (a lease row that expires when its
holder dies), and one asyncio task per partition delivers its events in order through the shared delivery loop
(`messaging.delivery.deliver`: retries, then the dead-letter topic); the offset moves past an event only after that
returns, committed once per batch.
Events are kept for ever: the embedded log is for one machine's volumes, not for retention policies.

A broadcast subscription has no group, lease or offset: each instance reads every partition of its topics from
where the log ended when it started, keeping its position in memory only.

Leases are short (`REXVET_EVENT_LOG_LEASE_SECONDS`, 3 s by default) and renewed by a heartbeat every third of that,
on the consumer's own task, independent of its handlers: a live instance with a slow handler keeps its partitions,
while a killed one's leases expire within one lease length of its last heartbeat. A survivor learns from its own
heartbeat when the other owner's earliest lease expires and claims again right then, so takeover does not wait for
its next regular beat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import SettingsConfigDict

from rexvet_common.adapters import sqlite_event_log_store as store
from rexvet_common.adapters.sqlite_event_log_store import TopicPartition
from rexvet_common.adapters.sqlite_support import SqliteRunner
from rexvet_common.backend_registry import Backend, BackendSettings, BuildContext
from rexvet_common.errors import EventBusError
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.events.topics import DEFAULT_PARTITIONS, check_topic, dead_letter_topic
from rexvet_common.messaging.delivery import deliver, undecodable_event
from rexvet_common.ports.event_bus import Handler, RetryPolicy, Subscription, add_subscription

log = logging.getLogger(__name__)

# How long after another owner's lease expiry a survivor claims again (the store takes only leases already past).
LEASE_CHECK_MARGIN = 0.05


class SqliteEventLog:
    """The `EventBus` port on a SQLite file; several processes may open the same file."""

    def __init__(
        self,
        path: Path | str,
        *,
        partitions: int = DEFAULT_PARTITIONS,
        poll_interval: float = 0.1,
        lease_ttl: float = 3.0,
        batch_size: int = 100,
        close_grace: float = 5.0,
        default_retry: RetryPolicy | None = None,
    ) -> None:
        if partitions < 1 or poll_interval <= 0 or lease_ttl <= 0 or batch_size < 1:
            raise ValueError("partitions and batch_size must be >= 1; poll_interval and lease_ttl must be > 0")
        self._db = SqliteRunner(path, name="event-log")
        self._partitions = partitions
        self._poll_interval = poll_interval
        self._lease_ttl = lease_ttl
        self._batch_size = batch_size
        self._close_grace = close_grace
        self._default_retry = default_retry or RetryPolicy()
        self._owner = f"{uuid.uuid4()}"
        self._subscriptions: dict[str, Subscription] = {}
        self._broadcasts: dict[str, Subscription] = {}
        self._consumers: list[_GroupConsumer | _BroadcastConsumer] = []
        self._started = False
        self._schema_ready = False
        self._closed = False
        self._published = asyncio.Event()  # wakes this process's consumers at once after a local publish

    @property
    def lease_seconds(self) -> float:
        return self._lease_ttl

    @property
    def owner(self) -> str:
        """This instance's name in the lease table."""
        return self._owner

    async def start(self) -> None:
        if self._closed:
            raise EventBusError("this event log was closed; create a new SqliteEventLog to reconnect")
        await self._ready()
        self._started = True
        for subscription in self._subscriptions.values():
            self._start_consumer(subscription)
        for subscription in self._broadcasts.values():
            await self._start_broadcast(subscription)

    async def _ready(self) -> None:
        """Create the tables on first use, so publishing or measuring lag before `start` works too."""
        if not self._schema_ready:
            await self._db.run(store.create_schema)
            self._schema_ready = True

    def subscribe(
        self, topics: Sequence[str], group: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        subscription = add_subscription(self._subscriptions, topics, group, handler, retry or self._default_retry)
        if self._started:
            self._start_consumer(subscription)

    def subscribe_broadcast(
        self, topics: Sequence[str], name: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        if self._started:
            raise EventBusError("subscribe_broadcast must be called before start")
        add_subscription(self._broadcasts, topics, name, handler, retry or self._default_retry)

    async def _start_broadcast(self, subscription: Subscription) -> None:
        consumer = _BroadcastConsumer(self, subscription)
        self._consumers.append(consumer)
        await consumer.start()

    def _start_consumer(self, subscription: Subscription) -> None:
        consumer = _GroupConsumer(self, subscription)
        self._consumers.append(consumer)
        consumer.start()

    async def publish(self, topic: str, event: CloudEvent) -> None:
        check_topic(topic)
        payload = event.to_json_bytes()
        await self._ready()
        await self._db.run(
            partial(
                store.append,
                topic=topic,
                key=event.partitionkey,
                event_id=event.id,
                payload=payload,
                default_partitions=self._partitions,
            )
        )
        self._published.set()

    async def ping(self) -> None:
        await self._db.run(lambda conn: conn.execute("SELECT 1").fetchall())

    async def consumer_lag(self, group: str) -> dict[str, int]:
        subscription = self._subscriptions.get(group)
        topics = subscription.topics if subscription else ()
        await self._ready()
        return await self._db.run(partial(store.lag, group=group, topics=topics))

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await asyncio.gather(*(consumer.stop(self._close_grace) for consumer in self._consumers))
        if self._started:
            # Hand the partitions over at once instead of making another instance wait for the leases to expire.
            await self._db.run(partial(store.release_leases, owner=self._owner))
        await self._db.close()


class _GroupConsumer:
    """One consumer group's partitions in this process: claims leases, and runs one task per partition with work."""

    def __init__(self, bus: SqliteEventLog, subscription: Subscription) -> None:
        self._bus = bus
        self._sub = subscription
        self._positions: dict[TopicPartition, int] = {}
        self._workers: dict[TopicPartition, asyncio.Task[None]] = {}
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._poll_loop(), name=f"event-log:{self._sub.group}")

    async def stop(self, grace: float) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        workers = list(self._workers.values())
        if workers:
            # Let each partition finish its current event; what is still running after the grace is not acknowledged.
            _, pending = await asyncio.wait(workers, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _poll_loop(self) -> None:
        bus = self._bus
        next_heartbeat = 0.0
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                if loop.time() >= next_heartbeat:
                    next_heartbeat = loop.time() + await self._heartbeat()
                ends = await bus._db.run(partial(store.partition_ends, topics=self._sub.topics))
                for tp, position in self._positions.items():
                    if ends.get(tp, 0) > position and tp not in self._workers:
                        self._workers[tp] = asyncio.create_task(self._drain(tp))
            except Exception:
                log.exception("event log poll failed", extra={"group": self._sub.group})
            bus._published.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bus._published.wait(), timeout=bus._poll_interval)

    async def _heartbeat(self) -> float:
        """Renew and claim leases; returns how long to wait before the next heartbeat."""
        bus = self._bus
        claim = await bus._db.run(
            partial(
                store.claim_leases,
                group=self._sub.group,
                topics=self._sub.topics,
                owner=bus._owner,
                ttl=bus._lease_ttl,
                default_partitions=bus._partitions,
            )
        )
        for tp in list(self._positions):
            if tp not in claim.held:
                del self._positions[tp]
        for tp, committed in claim.held.items():
            # A partition we already serve keeps our position (it may run ahead of a commit in flight).
            self._positions.setdefault(tp, committed)
        wait = bus._lease_ttl / 3
        if claim.others_expire_at is not None:
            # Another instance's lease that is not renewed in time is taken over as soon as it lapses (a little
            # after, as the store compares strictly); a live holder renews it first and keeps it.
            wait = min(wait, max(0.0, claim.others_expire_at - time.time()) + LEASE_CHECK_MARGIN)
        return wait

    async def _drain(self, tp: TopicPartition) -> None:
        """Deliver one batch of the partition in order, then commit the offset once, past the events whose delivery
        returned (as the Kafka adapter commits once per fetched batch). A commit per event was one more durable
        write per event; a crash before the commit redelivers the batch's finished events, which the idempotent
        consumers absorb, as after any crash between an effect and its acknowledgement."""
        bus = self._bus
        position = self._positions.get(tp)
        done = position
        try:
            if position is None:
                return
            batch = await bus._db.run(partial(store.read_batch, tp=tp, from_seq=position, limit=bus._batch_size))
            try:
                for seq, key, payload in batch:
                    if self._stopping:
                        break
                    await self._deliver(tp[0], key, payload)
                    done = seq + 1
            except Exception:
                # Nothing acknowledged past the failure: the next poll retries from there.
                log.exception("event log delivery failed", extra={"group": self._sub.group, "partition": tp})
            if done is not None and done != position:
                await self._commit(tp, done)
        except Exception:
            log.exception("event log offset commit failed", extra={"group": self._sub.group, "partition": tp})
        finally:
            self._workers.pop(tp, None)

    async def _commit(self, tp: TopicPartition, next_seq: int) -> None:
        bus = self._bus
        committed = await bus._db.run(
            partial(
                store.commit_offset,
                group=self._sub.group,
                tp=tp,
                next_seq=next_seq,
                owner=bus._owner,
                ttl=bus._lease_ttl,
            )
        )
        if not committed:
            log.warning("lease lost; another instance serves this partition", extra={"partition": tp})
            self._positions.pop(tp, None)
            return
        self._positions[tp] = next_seq

    async def _deliver(self, topic: str, key: str, payload: bytes) -> None:
        sub = self._sub
        try:
            event = CloudEvent.from_json_bytes(payload)
        except ValidationError as exc:
            letter = undecodable_event(payload, topic=topic, group=sub.group, key=key, error=exc)
            await self._bus.publish(dead_letter_topic(topic, sub.group), letter)
            return
        await deliver(event, sub.handler, sub.retry, topic=topic, group=sub.group, publish=self._bus.publish)


class _BroadcastConsumer:
    """One broadcast subscription in this process: every partition of its topics, from the end at start, in memory."""

    def __init__(self, bus: SqliteEventLog, subscription: Subscription) -> None:
        self._bus = bus
        self._sub = subscription
        self._positions: dict[TopicPartition, int] = {}
        self._workers: dict[TopicPartition, asyncio.Task[None]] = {}
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # Where the log ends now: what is published after `start` returns is delivered, nothing before.
        self._positions = await self._bus._db.run(partial(store.partition_ends, topics=self._sub.topics))
        self._task = asyncio.create_task(self._poll_loop(), name=f"event-log-broadcast:{self._sub.group}")

    async def stop(self, grace: float) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        workers = list(self._workers.values())
        if workers:
            _, pending = await asyncio.wait(workers, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _poll_loop(self) -> None:
        bus = self._bus
        while not self._stopping:
            try:
                ends = await bus._db.run(partial(store.partition_ends, topics=self._sub.topics))
                for tp, end in ends.items():
                    # A partition first written after `start` was empty then: it is read from its beginning.
                    if end > self._positions.setdefault(tp, 0) and tp not in self._workers:
                        self._workers[tp] = asyncio.create_task(self._drain(tp))
            except Exception:
                log.exception("event log broadcast poll failed", extra={"subscription": self._sub.group})
            bus._published.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bus._published.wait(), timeout=bus._poll_interval)

    async def _drain(self, tp: TopicPartition) -> None:
        bus, sub = self._bus, self._sub
        try:
            batch = await bus._db.run(
                partial(store.read_batch, tp=tp, from_seq=self._positions[tp], limit=bus._batch_size)
            )
            for seq, key, payload in batch:
                if self._stopping:
                    return
                try:
                    event = CloudEvent.from_json_bytes(payload)
                except ValidationError as exc:
                    letter = undecodable_event(payload, topic=tp[0], group=sub.group, key=key, error=exc)
                    await bus.publish(dead_letter_topic(tp[0], sub.group), letter)
                else:
                    await deliver(event, sub.handler, sub.retry, topic=tp[0], group=sub.group, publish=bus.publish)
                self._positions[tp] = seq + 1
        except Exception:
            log.exception("event log broadcast failed", extra={"subscription": sub.group, "partition": tp})
        finally:
            self._workers.pop(tp, None)


class EventLogSettings(BackendSettings):
    """The embedded bus: one SQLite event log under REXVET_DATA_DIR that every service process on the machine shares."""

    model_config = SettingsConfigDict(env_prefix="REXVET_EVENT_LOG_", extra="ignore")

    lease_seconds: float = Field(
        3.0,
        ge=0.3,
        le=300,
        description="How long a consumer's claim on its partitions lasts without a heartbeat (sent "
        "every third of it); a killed consumer's partitions are taken over by another within this",
    )


def event_log_path(data_dir: Path) -> Path:
    """The one durable local event log that every embedded service process shares."""
    return data_dir / "events.sqlite3"


def _build(context: BuildContext, settings: EventLogSettings) -> SqliteEventLog:
    path = event_log_path(context.service.platform.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteEventLog(path, lease_ttl=settings.lease_seconds)


# What the configuration reference says of it.
SUMMARY = "a SQLite event log under REXVET_DATA_DIR, shared by the services of one machine (make run)"
BACKEND = Backend("bus", "embedded", EventLogSettings, _build, summary=SUMMARY)
