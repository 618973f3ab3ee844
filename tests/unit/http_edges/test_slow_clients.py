"""Slow clients against a real uvicorn server on 127.0.0.1 (a free port), with the settings `serve` gives it: a
connection that dribbles its request headers is closed; one that sends them in time is answered, and so is the next
request on the same connection. The test waits on the socket, never on a clock it asserts."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn
from fastapi import FastAPI

from rexvet_common.serve import slow_client_limits
from rexvet_common.settings import PlatformSettings


def tiny_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


@pytest.fixture
async def server() -> AsyncIterator[int]:
    platform = PlatformSettings(http_header_timeout_seconds=0.3, http_keep_alive_seconds=5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(tiny_app(), host="127.0.0.1", port=port, log_config=None, **slow_client_limits(platform))
    running = uvicorn.Server(config)
    task = asyncio.create_task(running.serve())
    for _ in range(1000):  # until it listens (bounded: 10 s)
        if running.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        running.should_exit = True
        await task


async def read_until_closed(reader: asyncio.StreamReader) -> bytes:
    # A safety bound only: the assertion is on what the server did (close), not on how long it took.
    return await asyncio.wait_for(reader.read(), timeout=10)


async def test_headers_that_dribble_in_are_cut(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    writer.write(b"GET /ping HTTP/1.1\r\nHost: x\r\n")  # and never the blank line that ends the headers
    await writer.drain()
    assert await read_until_closed(reader) == b""  # closed without an answer
    writer.close()


async def test_headers_in_time_are_answered_and_so_is_the_next_request(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    for _ in range(2):
        writer.write(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=10)
        assert status.startswith(b"HTTP/1.1 200"), status
        while (await reader.readline()) != b"\r\n":
            pass
        assert await reader.readexactly(len(b'{"ok":true}')) == b'{"ok":true}'
    writer.close()


def test_the_limits_come_from_the_settings() -> None:
    limits = slow_client_limits(PlatformSettings(http_header_timeout_seconds=7, http_keep_alive_seconds=3))
    assert limits["timeout_keep_alive"] == 3 and limits["http"].header_timeout == 7
