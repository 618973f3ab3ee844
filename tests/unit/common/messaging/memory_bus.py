"""A test double of our own EventBus port that only records publications (no consumers)."""

from __future__ import annotations

from collections.abc import Sequence

from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.event_bus import Handler, RetryPolicy


class RecordingBus:
    def __init__(self) -> None:
        self.published: list[tuple[str, CloudEvent]] = []
        self.failing = False

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, topic: str, event: CloudEvent) -> None:
        if self.failing:
            raise ConnectionError("bus unreachable")
        self.published.append((topic, event))

    def subscribe(
        self, topics: Sequence[str], group: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        raise NotImplementedError("the recording bus has no consumers")

    def subscribe_broadcast(
        self, topics: Sequence[str], name: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        raise NotImplementedError("the recording bus has no consumers")

    async def ping(self) -> None:
        return None

    async def consumer_lag(self, group: str) -> dict[str, int]:
        return {}
