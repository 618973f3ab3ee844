"""One deadline for every fetch of one verification, and the status entries fetched side by side: a credential
naming slow servers holds its request until the deadline at most, and says which check ran out of time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.status.list_credential import status_entry

from .credentials import ob3_credential, signed
from .harness import checks_by_id, verifier_service

# A real HTTP server on 127.0.0.1 that answers only when the test lets it.
pytestmark = pytest.mark.contract


@dataclass
class SlowServer:
    base: str
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    most_at_once: int = 0
    seen: list[str] = field(default_factory=list)


@pytest.fixture
def slow_server() -> Iterator[SlowServer]:
    state = SlowServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.seen.append(self.path)
                state.in_flight += 1
                state.most_at_once = max(state.most_at_once, state.in_flight)
            state.release.wait(60)  # until the test ends: slower than any deadline
            with state.lock:
                state.in_flight -= 1
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


async def test_slow_status_lists_are_fetched_at_once_and_cut_at_the_verifications_deadline(
    tmp_path: Path, slow_server: SlowServer
) -> None:
    entries = [
        status_entry(f"{slow_server.base}/status/{n}", 3, purpose)
        for n, purpose in enumerate(("revocation", "suspension", "revocation"))
    ]
    credential = signed(ob3_credential(credentialStatus=entries))
    async with verifier_service(tmp_path, use_network=True, verification_deadline_seconds=1.0) as service:
        report = await service.verify_json(credential)
    status = checks_by_id(report)["status"]
    assert report["outcome"] != "verified"
    assert (status["outcome"], status["code"]) == ("not_checked", "status_deadline_exceeded")
    assert status["details"]["fetch_code"] == "fetch_deadline_exceeded"
    assert "the whole verification may take 1 s" in status["message"]
    # all three were asked for before any answered: side by side, not one after another
    assert sorted(slow_server.seen) == [f"/status/{n}" for n in range(3)]
    assert slow_server.most_at_once == 3


async def test_a_slow_issuer_document_runs_out_of_the_same_deadline(tmp_path: Path, slow_server: SlowServer) -> None:
    issuer = f"{slow_server.base}/issuer"
    credential = signed(ob3_credential())
    credential["proof"]["verificationMethod"] = f"{issuer}#key-1"  # the key is looked up at the slow server
    async with verifier_service(tmp_path, use_network=True, verification_deadline_seconds=1.0) as service:
        report = await service.verify_json(credential)
    proof = checks_by_id(report)["proof"]
    assert report["outcome"] == "incomplete"
    assert proof["outcome"] == "not_checked"
    assert "the whole verification may take 1 s" in proof["message"]
