"""Waiting for an asynchronous effect without asserting how long it takes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

WAIT_SECONDS = 10.0


async def eventually(condition: Callable[[], Awaitable[bool]], limit: float = WAIT_SECONDS) -> None:
    """Poll an asynchronous condition; fail with a clear message if it never holds (no timing is asserted)."""
    deadline = asyncio.get_running_loop().time() + limit
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition {condition.__name__} did not hold within {limit}s")
        await asyncio.sleep(0.02)
