"""The event bus with a producer span and a counter around `publish`; consumers get their span in `deliver()`."""

from __future__ import annotations

from collections.abc import Sequence

from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.event_bus import EventBus, Handler, RetryPolicy
from rexvet_common.telemetry.metrics import events_published
from rexvet_common.telemetry.tracing import publish_span


class TracedEventBus:
    """Wraps any `EventBus` adapter; the composition root puts it around the configured one."""

    def __init__(self, inner: EventBus) -> None:
        self.inner = inner

    async def start(self) -> None:
        await self.inner.start()

    async def close(self) -> None:
        await self.inner.close()

    async def publish(self, topic: str, event: CloudEvent) -> None:
        with publish_span(event, topic=topic):
            await self.inner.publish(topic, event)
        events_published.add(1, {"messaging.destination.name": topic, "cloudevents.event_type": event.type})

    def subscribe(
        self, topics: Sequence[str], group: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        self.inner.subscribe(topics, group, handler, retry=retry)

    def subscribe_broadcast(
        self, topics: Sequence[str], name: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        self.inner.subscribe_broadcast(topics, name, handler, retry=retry)

    async def ping(self) -> None:
        await self.inner.ping()

    async def consumer_lag(self, group: str) -> dict[str, int]:
        return await self.inner.consumer_lag(group)
