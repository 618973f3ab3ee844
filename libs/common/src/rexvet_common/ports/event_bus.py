"""Event bus port: publish CloudEvents to topics and consume them as consumer groups.

Guarantees every adapter gives (and the contract suite checks):
- `publish` returns only once the event is durable; events with the same key keep their order.
- Delivery is at least once: a handler's event is acknowledged only after the handler returned normally.
- A handler that keeps failing is retried with backoff up to `RetryPolicy.max_attempts`; then the event goes to the
  group's dead-letter topic (`<topic>.dlq.<group>`) with the error and its key, and the partition moves on.
- Each consumer group sees every event once (modulo redelivery); two groups are independent.
- A group keeps its offsets across restarts; a group that never consumed starts at the beginning of the topic.
- An event whose handler is still running when `close` gives up is not acknowledged (it comes again); `close` may be
  called twice.
- A broadcast subscription (`subscribe_broadcast`) is per instance, not per group: every instance that subscribed
  gets every event published to its topics after its `start`, whatever other instances exist (cache invalidation
  on each replica). It keeps no offsets: a restarted instance starts at the end of the log, so what it missed
  while down it does not see (its caches started empty anyway). Retries and the dead-letter topic
  (`<topic>.dlq.<name>`) are as for a group. Consumer groups on the same topics are unaffected.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rexvet_common.errors import EventBusError
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.events.topics import check_topic

Handler = Callable[[CloudEvent], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failing handler is tried before its event is dead-lettered."""

    max_attempts: int = 5
    initial_backoff_seconds: float = 0.05
    max_backoff_seconds: float = 2.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")


@dataclass(frozen=True)
class Subscription:
    topics: tuple[str, ...]
    group: str
    handler: Handler
    retry: RetryPolicy


def add_subscription(
    subscriptions: dict[str, Subscription],
    topics: Sequence[str],
    group: str,
    handler: Handler,
    retry: RetryPolicy,
) -> Subscription:
    """What every adapter's `subscribe` checks and records: one handler per group, at least one valid topic."""
    if group in subscriptions:
        raise EventBusError(f"consumer group {group!r} is already subscribed here; use one handler per group")
    if not topics:
        raise EventBusError(f"consumer group {group!r} must subscribe to at least one topic")
    subscription = Subscription(topics=tuple(check_topic(t) for t in topics), group=group, handler=handler, retry=retry)
    subscriptions[group] = subscription
    return subscription


class EventBus(Protocol):
    async def start(self) -> None:
        """Connect, create the topics it needs and start every consumer subscribed so far."""

    async def close(self) -> None:
        """Stop consumers after their current event (not acknowledged if unfinished) and disconnect."""

    async def publish(self, topic: str, event: CloudEvent) -> None:
        """Append `event` to `topic`, keyed by `event.partitionkey`; durable when this returns."""

    def subscribe(
        self, topics: Sequence[str], group: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        """Register a consumer group's handler; call before `start`."""

    def subscribe_broadcast(
        self, topics: Sequence[str], name: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        """Register a per-instance handler that sees every event published after `start`; call before `start`.
        `name` tells it apart from others in this instance (logs, its dead-letter topic)."""

    async def ping(self) -> None:
        """Raise `BackendUnavailableError` when the backend cannot be reached (used by /readyz)."""

    async def consumer_lag(self, group: str) -> dict[str, int]:
        """Events not yet acknowledged by `group`, per topic (empty where the backend cannot tell)."""
