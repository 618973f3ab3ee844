"""A service process's running parts beside its API: the bus consumers, the outbox relay, the lag poller.

They start after the adapters are built and stop, in reverse, when the FastAPI lifespan ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from rexvet_common.telemetry.metrics import record_consumer_lag
from rexvet_common.wiring.bootstrap import Platform

log = logging.getLogger(__name__)

# A background job that runs until cancelled (e.g. the outbox relay's loop).
Worker = Callable[[], Awaitable[None]]
ReadinessCheck = Callable[[], Awaitable[None]]


class Component(Protocol):
    """Something with its own background task, such as the outbox relay."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


LAG_POLL_SECONDS = 15.0
READINESS_TIMEOUT_SECONDS = 3.0


class ServiceRuntime:
    def __init__(
        self,
        platform: Platform,
        *,
        context: Any = None,
        workers: Sequence[tuple[str, Worker]] = (),
        components: Sequence[Component] = (),
        consumer_groups: Sequence[str] = (),
    ) -> None:
        self.platform = platform
        self.context = context  # the service's own objects, for its API's dependencies
        self.workers = list(workers)
        self.components = list(components)
        self._started_components: list[Component] = []
        self.consumer_groups = list(consumer_groups)
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def settings(self) -> Any:
        return self.platform.settings

    async def start(self) -> None:
        await self.platform.bus.start()
        for component in self.components:
            await component.start()
            self._started_components.append(component)
        for name, worker in self.workers:
            self._tasks.append(asyncio.create_task(self._supervise(name, worker), name=name))
        if self.consumer_groups:
            self._tasks.append(asyncio.create_task(self._poll_lag(), name="consumer-lag"))

    async def stop(self) -> None:
        for task in reversed(self._tasks):
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for component in reversed(self._started_components):
            try:
                await component.stop()
            except Exception:
                log.exception("stopping %r failed", component)
        self._started_components.clear()
        await self.platform.close()

    async def _supervise(self, name: str, worker: Worker) -> None:
        """Keep a worker alive: an unexpected error is logged and the worker restarted after a pause."""
        while True:
            try:
                await worker()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background worker %s failed; restarting it", name)
                await asyncio.sleep(1.0)

    async def _poll_lag(self) -> None:
        while True:
            for group in self.consumer_groups:
                try:
                    record_consumer_lag(group, await self.platform.bus.consumer_lag(group))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.debug("consumer lag of %s unavailable: %s", group, exc)
            await asyncio.sleep(LAG_POLL_SECONDS)

    def readiness_checks(self) -> dict[str, ReadinessCheck]:
        checks: dict[str, ReadinessCheck] = {
            "bus": self.platform.bus.ping,
            "documents": self.platform.documents.ping,
        }
        if self.platform.blobs is not None:
            checks["blobs"] = self.platform.blobs.ping
        return checks

    async def readiness(self) -> dict[str, str]:
        """Each configured backend's state: "ok" or why it is not reachable."""
        results: dict[str, str] = {}
        for name, check in self.readiness_checks().items():
            try:
                await asyncio.wait_for(check(), timeout=READINESS_TIMEOUT_SECONDS)
                results[name] = "ok"
            except TimeoutError:
                results[name] = f"no answer within {READINESS_TIMEOUT_SECONDS:g}s"
            except Exception as exc:
                results[name] = f"{type(exc).__name__}: {exc}"
        return results
