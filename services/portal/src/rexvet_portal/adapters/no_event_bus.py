"""The portal's event bus: none. It emits and consumes nothing; the platform kit still wants a bus to start."""

from __future__ import annotations

from collections.abc import Sequence

from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.event_bus import Handler, RetryPolicy


class NoEventBus:
    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, topic: str, event: CloudEvent) -> None:
        raise RuntimeError(f"the portal publishes no events (tried {event.type} on {topic})")

    def subscribe(
        self,
        topics: Sequence[str],
        group: str,
        handler: Handler,
        *,
        retry: RetryPolicy | None = None,
    ) -> None:
        raise RuntimeError("the portal consumes no events")

    def subscribe_broadcast(
        self, topics: Sequence[str], name: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        raise RuntimeError("the portal consumes no events")

    async def ping(self) -> None:
        return None

    async def consumer_lag(self, group: str) -> dict[str, int]:
        return {}
