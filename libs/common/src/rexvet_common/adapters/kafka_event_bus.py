"""The `EventBus` port on Apache Kafka, through aiokafka.

- Publishing: one idempotent producer per bus (`enable_idempotence`, so `acks=all` and no duplicates from producer
  retries); an event is keyed by its partition key, so one person's events stay in one partition and in order, and
  `publish` returns once the broker has it durably. Topics are created on first use with the configured partition
  count and replication factor (the brokers' automatic creation stays off).
- Consuming: one consumer per subscribed group, offsets committed by hand only after the handler returned (or after
  the event's dead letter is durable), once per fetched batch; a fetched record that was not finished is fetched
  again. Each partition of a batch is worked on by its own task, in order. Retries and the dead-letter topic are
  the shared delivery loop's (`messaging.delivery.deliver`), as in the embedded event log.
- Rebalancing: the group's partitions move between instances; before giving partitions up, an instance finishes the
  batch in hand and commits it, so the next owner resumes exactly after it. An instance that dies loses its
  partitions after the session timeout, and the next owner re-reads what it had not committed (at least once).
- Broadcast: a consumer outside any group (no group id, nothing committed) assigned every partition of its topics
  and placed at their end when the bus starts, so each instance sees every event published after that; a
  per-instance group id would do the same but leave one abandoned group per restart on the cluster.
- Namespace: an optional prefix of every Kafka topic and consumer group name, so several deployments or test runs
  can share one cluster without reading each other's events; the services still see the plain topic names.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from aiokafka.helpers import create_ssl_context
from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import SettingsConfigDict

from rexvet_common.backend_registry import Backend, BackendSettings, BuildContext, MissingVariables
from rexvet_common.errors import BackendUnavailableError, EventBusError
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.events.topics import DEFAULT_PARTITIONS, check_topic, dead_letter_topic
from rexvet_common.messaging.delivery import deliver, undecodable_event
from rexvet_common.ports.event_bus import Handler, RetryPolicy, Subscription, add_subscription

log = logging.getLogger(__name__)

TOPIC_ALREADY_EXISTS = 36
UNKNOWN_TOPIC = 3  # UNKNOWN_TOPIC_OR_PARTITION
CONTENT_TYPE_HEADER = ("content-type", b"application/cloudevents+json")


class KafkaEventBus:
    """The `EventBus` port on Kafka; many instances (processes, replicas) may share the same groups."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        client_id: str = "rexvet",
        partitions: int = DEFAULT_PARTITIONS,
        replication_factor: int = 1,
        security_protocol: str = "PLAINTEXT",
        sasl_mechanism: str | None = None,
        sasl_username: str | None = None,
        sasl_password: str | None = None,
        ssl_cafile: str | None = None,
        session_timeout_ms: int = 10_000,
        heartbeat_interval_ms: int = 1_000,
        max_batch: int = 500,
        close_grace: float = 5.0,
        join_timeout: float = 30.0,
        default_retry: RetryPolicy | None = None,
        namespace: str = "",
    ) -> None:
        if partitions < 1 or replication_factor < 1 or max_batch < 1:
            raise ValueError("partitions, replication_factor and max_batch must be at least 1")
        self._connection: dict[str, Any] = {
            "bootstrap_servers": bootstrap_servers,
            "client_id": client_id,
            "security_protocol": security_protocol,
        }
        if sasl_mechanism:
            self._connection.update(
                sasl_mechanism=sasl_mechanism, sasl_plain_username=sasl_username, sasl_plain_password=sasl_password
            )
        if "SSL" in security_protocol.upper():
            # The system CAs unless the cluster has its own (Strimzi's cluster CA, for one).
            self._connection["ssl_context"] = create_ssl_context(cafile=ssl_cafile)
        if namespace:
            check_topic(namespace)
        self._ns = namespace
        self._partitions = partitions
        self._replication_factor = replication_factor
        self._session_timeout_ms = session_timeout_ms
        self._heartbeat_interval_ms = heartbeat_interval_ms
        self._max_batch = max_batch
        self._close_grace = close_grace
        self._join_timeout = join_timeout
        self._default_retry = default_retry or RetryPolicy()
        self._subscriptions: dict[str, Subscription] = {}
        self._broadcasts: dict[str, Subscription] = {}
        self._consumers: list[_GroupConsumer | _BroadcastConsumer] = []
        self._late_starts: set[asyncio.Task[None]] = set()
        self._producer: AIOKafkaProducer | None = None
        self._admin: AIOKafkaAdminClient | None = None
        self._probe: AIOKafkaConsumer | None = None
        self._known_topics: set[str] = set()
        self._lock = asyncio.Lock()
        self._topics_lock = asyncio.Lock()
        self._started = False
        self._closed = False

    # --- lifecycle ---------------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._closed:
            raise EventBusError("this event bus was closed; create a new KafkaEventBus to reconnect")
        await self._producer_ready()
        subscriptions = [*self._subscriptions.values(), *self._broadcasts.values()]
        await self._ensure_topics([t for s in subscriptions for t in s.topics])
        self._started = True
        await asyncio.gather(*(self._start_consumer(s) for s in self._subscriptions.values()))
        await asyncio.gather(*(self._start_broadcast(s) for s in self._broadcasts.values()))

    def subscribe(
        self, topics: Sequence[str], group: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        subscription = add_subscription(self._subscriptions, topics, group, handler, retry or self._default_retry)
        if self._started:
            task = asyncio.get_running_loop().create_task(self._start_late(subscription))
            self._late_starts.add(task)
            task.add_done_callback(self._late_starts.discard)
            task.add_done_callback(_log_failure)

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

    async def _partitions_of(self, kafka_topics: Sequence[str]) -> list[TopicPartition]:
        """Every partition of these topics (their Kafka names: namespace included)."""
        admin = await self._admin_ready()
        described = await _connect(admin.describe_topics(list(kafka_topics)), "describe the topics")
        return [
            TopicPartition(entry["topic"], p["partition"])
            for entry in described
            if entry.get("error_code", 0) == 0
            for p in entry["partitions"]
        ]

    async def _start_late(self, subscription: Subscription) -> None:
        await self._ensure_topics(subscription.topics)
        await self._start_consumer(subscription)

    async def _start_consumer(self, subscription: Subscription) -> None:
        consumer = _GroupConsumer(self, subscription)
        self._consumers.append(consumer)
        await consumer.start()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in list(self._late_starts):
            task.cancel()
        await asyncio.gather(*self._late_starts, return_exceptions=True)
        await asyncio.gather(*(consumer.stop(self._close_grace) for consumer in self._consumers))
        for client in (self._producer, self._probe):
            if client is not None:
                await _stop_client(client)
        if self._admin is not None:
            with contextlib.suppress(KafkaError):
                await self._admin.close()

    # --- clients -----------------------------------------------------------------------------------------------

    async def _producer_ready(self) -> AIOKafkaProducer:
        if self._producer is not None:
            return self._producer
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(enable_idempotence=True, linger_ms=2, **self._connection)
                await _connect(producer.start(), "start the producer")
                self._producer = producer
        return self._producer

    async def _admin_ready(self) -> AIOKafkaAdminClient:
        if self._admin is not None:
            return self._admin
        async with self._lock:
            if self._admin is None:
                admin = AIOKafkaAdminClient(**self._connection)
                await _connect(admin.start(), "start the admin client")
                self._admin = admin
        return self._admin

    async def _probe_ready(self) -> AIOKafkaConsumer:
        """A consumer outside any group, to read partition offsets for `consumer_lag`."""
        if self._probe is not None:
            return self._probe
        async with self._lock:
            if self._probe is None:
                probe = AIOKafkaConsumer(enable_auto_commit=False, **self._connection)
                await _connect(probe.start(), "start the offsets reader")
                self._probe = probe
        return self._probe

    async def _ensure_topics(self, topics: Sequence[str]) -> None:
        """Create the topics that do not exist yet, with the bus's partition count (several replicas may race).

        One caller at a time: a burst of first publishes to a new topic makes one request, not one each. Only the
        missing topics are described (not the whole cluster's list), and a topic that exists is never asked to be
        created, so a deployment whose topics are managed elsewhere needs no right to create them.
        """
        if self._known_topics.issuperset(topics):
            return
        async with self._topics_lock:
            missing = sorted(set(topics) - self._known_topics)
            if not missing:
                return
            admin = await self._admin_ready()
            described = await _connect(admin.describe_topics([self._ns + t for t in missing]), "describe the topics")
            to_create = [entry["topic"] for entry in described if entry.get("error_code") == UNKNOWN_TOPIC]
            if to_create:
                response = await _connect(
                    admin.create_topics([NewTopic(t, self._partitions, self._replication_factor) for t in to_create]),
                    "create topics",
                )
                for entry in response.topic_errors:
                    name, code = entry[0], entry[1]
                    if code not in (0, TOPIC_ALREADY_EXISTS):
                        message = entry[2] if len(entry) > 2 else ""
                        raise EventBusError(f"Kafka refused to create topic {name!r} (error {code}: {message})")
            self._known_topics.update(missing)

    # --- the port ----------------------------------------------------------------------------------------------

    async def publish(self, topic: str, event: CloudEvent) -> None:
        if self._closed:
            raise EventBusError("this event bus was closed; create a new KafkaEventBus to publish")
        producer = self._producer
        if producer is None or topic not in self._known_topics:  # checks made once per topic, not per event
            check_topic(topic)
            producer = await self._producer_ready()
            await self._ensure_topics([topic])
        try:
            await producer.send_and_wait(
                self._ns + topic, event.to_json_bytes(), key=event.partitionkey.encode(), headers=[CONTENT_TYPE_HEADER]
            )
        except (KafkaConnectionError, KafkaTimeoutError, TimeoutError) as exc:
            raise BackendUnavailableError(f"Kafka cannot be reached to publish to {topic!r}: {exc}") from exc
        except KafkaError as exc:
            raise EventBusError(f"Kafka failed to publish to {topic!r}: {exc}") from exc

    async def ping(self) -> None:
        admin = await self._admin_ready()
        await _connect(asyncio.wait_for(admin.describe_cluster(), timeout=10), "describe the cluster")

    async def consumer_lag(self, group: str) -> dict[str, int]:
        admin = await self._admin_ready()
        committed = await _connect(
            admin.list_consumer_group_offsets(self._ns + group), f"read group {group!r}'s offsets"
        )
        subscription = self._subscriptions.get(group)
        topics = {tp.topic for tp in committed if tp.topic.startswith(self._ns)}
        topics |= {self._ns + t for t in (subscription.topics if subscription else ())}
        if not topics:
            return {}
        partitions = await self._partitions_of(sorted(topics))
        probe = await self._probe_ready()
        ends = await _connect(probe.end_offsets(partitions), "read the end offsets")
        starts = await _connect(probe.beginning_offsets(partitions), "read the start offsets")
        lag: dict[str, int] = dict.fromkeys(sorted(t.removeprefix(self._ns) for t in topics), 0)
        for tp in partitions:
            done = committed.get(tp)
            position = done.offset if done is not None and done.offset >= 0 else starts[tp]
            lag[tp.topic.removeprefix(self._ns)] += max(0, ends[tp] - position)
        return lag


class _GroupConsumer:
    """One consumer group in this process: fetch a batch, run each partition's records in order, commit."""

    def __init__(self, bus: KafkaEventBus, subscription: Subscription) -> None:
        self._bus = bus
        self._sub = subscription
        self._consumer = AIOKafkaConsumer(
            group_id=bus._ns + subscription.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",  # a group that never consumed starts at the beginning
            session_timeout_ms=bus._session_timeout_ms,
            heartbeat_interval_ms=bus._heartbeat_interval_ms,
            **bus._connection,
        )
        self._progress: dict[TopicPartition, int] = {}  # next offset to commit, per partition, for the batch in hand
        self._batch = asyncio.Lock()  # held while a batch is worked on; a rebalance waits for it
        self._joined = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await _connect(self._consumer.start(), f"start consumer group {self._sub.group!r}")
        self._consumer.subscribe([self._bus._ns + t for t in self._sub.topics], listener=_Rebalance(self))
        self._task = asyncio.create_task(self._run(), name=f"kafka:{self._sub.group}")
        # Return once the group has given this instance its partitions, so that what is published next is read by
        # the settled group rather than by an instance about to lose it in a rebalance.
        try:
            await asyncio.wait_for(self._joined.wait(), timeout=self._bus._join_timeout)
        except TimeoutError:
            log.warning("consumer group not joined yet; consuming once it is", extra={"group": self._sub.group})

    async def stop(self, grace: float) -> None:
        self._stopping = True
        if self._task is not None:
            # Let the batch finish its current events; what still runs after the grace is not acknowledged.
            done, _ = await asyncio.wait({self._task}, timeout=grace)
            if not done:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self._commit()  # what finished before the grace ran out
        with contextlib.suppress(KafkaError):
            await self._consumer.stop()  # leaves the group: the others take its partitions at once

    async def _run(self) -> None:
        while not self._stopping:
            try:
                batches = await self._consumer.getmany(timeout_ms=200, max_records=self._bus._max_batch)
            except Exception:  # the loop must outlive any one failure, or the group would stall unnoticed
                log.exception("fetching from Kafka failed; retrying", extra={"group": self._sub.group})
                await asyncio.sleep(1)
                continue
            if not batches:
                continue
            async with self._batch:
                await asyncio.gather(*(self._work(tp, records) for tp, records in batches.items()))
                await self._commit()

    async def _work(self, tp: TopicPartition, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        sub, publish = self._sub, self._bus.publish
        topic = tp.topic.removeprefix(self._bus._ns)  # the services' name of the topic
        for record in records:
            if self._stopping:
                return
            try:
                # Decoded and delivered here rather than in a coroutine of its own: this runs once per event.
                try:
                    event = CloudEvent.from_json_bytes(record.value or b"")
                except ValidationError as exc:
                    await self._dead_letter_undecodable(record, topic, exc)
                else:
                    await deliver(event, sub.handler, sub.retry, topic=topic, group=sub.group, publish=publish)
            except Exception:
                # The dead letter itself could not be written: fetch this record again rather than skip it.
                log.exception("delivery failed; the event will be fetched again", extra={"group": self._sub.group})
                with contextlib.suppress(KafkaError):
                    self._consumer.seek(tp, record.offset)
                await asyncio.sleep(0.5)
                return
            self._progress[tp] = record.offset + 1

    async def _dead_letter_undecodable(
        self, record: ConsumerRecord[bytes, bytes], topic: str, exc: ValidationError
    ) -> None:
        key = (record.key or b"").decode(errors="replace") or "unknown"
        letter = undecodable_event(record.value or b"", topic=topic, group=self._sub.group, key=key, error=exc)
        await self._bus.publish(dead_letter_topic(topic, self._sub.group), letter)

    async def _commit(self) -> None:
        if not self._progress:
            return
        offsets, self._progress = self._progress, {}
        try:
            await self._consumer.commit(offsets)
        except KafkaError as exc:
            # The partitions went to another instance meanwhile: it re-reads these events (at least once).
            log.warning("commit refused: %s", exc, extra={"group": self._sub.group})

    async def before_revoke(self) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._bus._session_timeout_ms / 1000):
                async with self._batch:
                    await self._commit()


class _BroadcastConsumer:
    """One broadcast subscription in this process: no group, every partition assigned, read from the end at start."""

    def __init__(self, bus: KafkaEventBus, subscription: Subscription) -> None:
        self._bus = bus
        self._sub = subscription
        self._consumer = AIOKafkaConsumer(
            group_id=None, enable_auto_commit=False, auto_offset_reset="latest", **bus._connection
        )
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        consumer = self._consumer
        await _connect(consumer.start(), f"start broadcast consumer {self._sub.group!r}")
        partitions = await self._bus._partitions_of([self._bus._ns + t for t in self._sub.topics])
        consumer.assign(partitions)
        await _connect(consumer.seek_to_end(*partitions), "find the end of the topics")
        for tp in partitions:
            await _connect(consumer.position(tp), "find the end of the topics")  # fixed now, not at first fetch
        self._task = asyncio.create_task(self._run(), name=f"kafka-broadcast:{self._sub.group}")

    async def stop(self, grace: float) -> None:
        self._stopping = True
        if self._task is not None:
            done, _ = await asyncio.wait({self._task}, timeout=grace)
            if not done:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        with contextlib.suppress(KafkaError):
            await self._consumer.stop()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                batches = await self._consumer.getmany(timeout_ms=200, max_records=self._bus._max_batch)
            except Exception:
                log.exception("fetching from Kafka failed; retrying", extra={"subscription": self._sub.group})
                await asyncio.sleep(1)
                continue
            await asyncio.gather(*(self._work(tp, records) for tp, records in batches.items()))

    async def _work(self, tp: TopicPartition, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        sub, publish = self._sub, self._bus.publish
        topic = tp.topic.removeprefix(self._bus._ns)
        for record in records:
            if self._stopping:
                return
            try:
                event = CloudEvent.from_json_bytes(record.value or b"")
            except ValidationError as exc:
                key = (record.key or b"").decode(errors="replace") or "unknown"
                letter = undecodable_event(record.value or b"", topic=topic, group=sub.group, key=key, error=exc)
                await publish(dead_letter_topic(topic, sub.group), letter)
                continue
            try:
                await deliver(event, sub.handler, sub.retry, topic=topic, group=sub.group, publish=publish)
            except Exception:
                # Nothing is committed for a broadcast: an event whose dead letter could not be written is logged.
                log.exception("broadcast delivery failed", extra={"subscription": sub.group, "event_id": event.id})


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, owner: _GroupConsumer) -> None:
        self._owner = owner

    async def on_partitions_revoked(self, revoked: Any) -> None:
        await self._owner.before_revoke()

    async def on_partitions_assigned(self, assigned: Any) -> None:
        self._owner._joined.set()


async def _connect(awaitable: Any, action: str) -> Any:
    """Await a client call; a broker that cannot be reached is `BackendUnavailableError`, other failures are bus
    errors that say what was being done."""
    try:
        return await awaitable
    except (KafkaConnectionError, KafkaTimeoutError, TimeoutError) as exc:
        raise BackendUnavailableError(f"Kafka cannot be reached to {action}: {exc}") from exc
    except KafkaError as exc:
        raise EventBusError(f"Kafka failed to {action}: {exc}") from exc


async def _stop_client(client: AIOKafkaProducer | AIOKafkaConsumer) -> None:
    try:
        await client.stop()
    except KafkaError:
        pass
    except asyncio.CancelledError:
        # aiokafka's consumer outside a group (the offsets reader) cancels a helper task on stop and awaits it; when
        # that task had not run yet, its CancelledError escapes stop() (seen closing a bus right after measuring lag).
        # Unless this task itself is being cancelled, that is the helper's, not ours: the bus still closes.
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("starting a consumer failed", exc_info=task.exception())


class KafkaSettings(BackendSettings):
    """REXVET_BUS=kafka: the brokers and how to reach them."""

    model_config = SettingsConfigDict(env_prefix="REXVET_KAFKA_", extra="ignore")

    bootstrap_servers: str = Field(description="host:port[,host:port] of the brokers")
    partitions: int = Field(default=6, ge=1, description="Partitions of the topics the services create")
    replication_factor: int = Field(default=1, ge=1, description="Replication factor of those topics")
    security_protocol: str = Field("PLAINTEXT", description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    sasl_mechanism: str | None = Field(None, description="e.g. PLAIN or SCRAM-SHA-512; needs the two below")
    sasl_username: str | None = Field(None, description="SASL user name")
    sasl_password: SecretStr | None = Field(None, description="SASL password (secret)")
    ssl_cafile: Path | None = Field(
        None, description="PEM file of the CA that signs the brokers' certificates (SSL); default the system CAs"
    )
    namespace: str = Field(
        "", description="Prefix of every topic and consumer group, to share one cluster between deployments"
    )

    @model_validator(mode="after")
    def _sasl_needs_its_credentials(self) -> KafkaSettings:
        if self.sasl_mechanism:
            missing = [
                f"REXVET_KAFKA_{name.upper()}"
                for name in ("sasl_username", "sasl_password")
                if getattr(self, name) is None
            ]
            if missing:
                raise MissingVariables(missing)
        return self


def _build(context: BuildContext, settings: KafkaSettings) -> KafkaEventBus:
    password = settings.sasl_password.get_secret_value() if settings.sasl_password else None
    return KafkaEventBus(
        bootstrap_servers=settings.bootstrap_servers,
        client_id=f"rexvet-{context.service.service_name}",
        partitions=settings.partitions,
        replication_factor=settings.replication_factor,
        security_protocol=settings.security_protocol,
        sasl_mechanism=settings.sasl_mechanism,
        sasl_username=settings.sasl_username,
        sasl_password=password,
        ssl_cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None,
        namespace=settings.namespace,
    )


# What the configuration reference says of it.
SUMMARY = "Apache Kafka (or a Kafka-compatible broker): what a consortium runs with several replicas"
BACKEND = Backend("bus", "kafka", KafkaSettings, _build, summary=SUMMARY)
