"""The service's own guarded fetcher, end to end: a status list and an issuer document served over http on
127.0.0.1 (as the issuer of `make run` serves them) are reached in development and refused when loopback
fetching is off, which leaves the credential `incomplete`, never `verified`."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.status.list_credential import status_entry

from .credentials import ob3_credential, signed, signed_list
from .harness import checks_by_id, verifier_service

# A real HTTP server on 127.0.0.1, as the credential engine's own status end-to-end tests use.
pytestmark = pytest.mark.contract


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    routes: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes
    finally:
        server.shutdown()
        server.server_close()


def credential_listed_at(base: str, routes: dict[str, bytes]) -> dict[str, Any]:
    url = f"{base}/status/1"
    routes["/status/1"] = json.dumps(signed_list(url=url)).encode()
    return signed(ob3_credential(credentialStatus=status_entry(url, 3, "revocation")))


async def test_development_fetches_the_local_issuers_status_list(
    tmp_path: Path, loopback_server: tuple[str, dict[str, bytes]]
) -> None:
    base, routes = loopback_server
    credential = credential_listed_at(base, routes)
    async with verifier_service(tmp_path, use_network=True) as service:
        report = await service.verify_json(credential)
    assert report["outcome"] == "verified", report
    assert checks_by_id(report)["status"]["code"] == "status_active"


async def test_without_loopback_fetching_the_status_is_not_checked(
    tmp_path: Path, loopback_server: tuple[str, dict[str, bytes]]
) -> None:
    base, routes = loopback_server
    credential = credential_listed_at(base, routes)
    async with verifier_service(tmp_path, use_network=True, allow_loopback_fetch=False) as service:
        report = await service.verify_json(credential)
    assert report["outcome"] == "incomplete"
    status = checks_by_id(report)["status"]
    assert (status["code"], status["details"]["fetch_code"]) == ("status_list_unreachable", "fetch_refused_scheme")


async def test_an_issuer_on_loopback_is_resolved_over_http_in_development(
    tmp_path: Path, loopback_server: tuple[str, dict[str, bytes]]
) -> None:
    """The `make run` shape: issuer id, key document and status list all on the local issuer's http address."""
    base, routes = loopback_server
    issuer = f"{base}/issuers/omnia"
    key = Ed25519SigningKey.generate(controller=issuer, key_id=f"{issuer}#key-1")
    routes["/issuers/omnia"] = json.dumps(
        {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": issuer,
            "type": "Profile",
            "verificationMethod": [
                {
                    "id": key.verification_method,
                    "type": "Multikey",
                    "controller": issuer,
                    "publicKeyMultibase": key.public_key_multibase,
                }
            ],
            "assertionMethod": [key.verification_method],
        }
    ).encode()
    list_url = f"{base}/status/omnia"
    routes["/status/omnia"] = json.dumps(signed_list(url=list_url, key=key)).encode()
    credential = signed(ob3_credential(issuer, credentialStatus=status_entry(list_url, 5, "revocation")), key=key)
    async with verifier_service(tmp_path, use_network=True) as service:
        report = await service.verify_json(credential)
    assert report["outcome"] == "verified", report
    assert checks_by_id(report)["key_binding"]["code"] == "key_bound_to_issuer"
