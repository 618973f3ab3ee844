"""What the tests of the shared code import by name (a conftest is not importable by name): the token issuer and
audience the test platform expects, and the in-process client for a service app with its lifespan running."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

ISSUER = "http://issuer.test"
AUDIENCE = "rexvet"

TokenFactory = Callable[..., str]


@asynccontextmanager
async def running(app: FastAPI, base_url: str = "http://service.test") -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan (bootstrap, consumers, relay) running, and a client that talks to it in-process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
