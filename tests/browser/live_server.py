"""An ASGI app served by uvicorn on 127.0.0.1 on a free port, in a thread of the test process, for the browser."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

START_SECONDS = 60.0  # a guard against a hanging start-up, not a timing requirement


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve `app` (its lifespan included) until the block ends; yields its base URL, http://127.0.0.1:<port>."""
    # The socket is bound here, before uvicorn starts, so the port is known and no other process can take it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"live-server-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_SECONDS
        while not server.started:
            if not thread.is_alive():
                raise AssertionError(f"the app did not start on port {port}: its lifespan failed (see the log above)")
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not start on port {port} within {START_SECONDS:g}s")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=START_SECONDS)
        sock.close()
