"""Every service app in-process, each through its own tests' harness, with one JSON endpoint to probe.

The HTTP edge (docs, JSON bodies, media types) is built once in `rexvet_common.http` for all four services; these
fixtures let one test say so for each of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from coaching.harness import coaching_app  # the other services' test packages (tests/unit is on the path)
from evidence.harness import evidence_service
from issuer.harness import issuer_service
from verifier.harness import verifier_service

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog

SERVICES = ("evidence", "coaching", "issuer", "verifier")
# The services that take a token and keep what they are sent; the verifier is public and stores nothing.
GUARDED_SERVICES = ("evidence", "coaching", "issuer")


@dataclass
class JsonEndpoint:
    """An authorised JSON endpoint of a running service, a body it accepts, and the status it then answers."""

    service: str
    client: httpx.AsyncClient
    method: str
    path: str
    body: dict[str, Any]
    accepted_status: int
    headers: dict[str, str] = field(default_factory=dict)
    # A string field of `body` that the service stores (None: it keeps nothing it is sent, as the verifier).
    stored_string: str | None = None

    async def send(self, content: bytes, content_type: str | None) -> httpx.Response:
        headers = dict(self.headers)
        if content_type is not None:
            headers["Content-Type"] = content_type
        return await self.client.request(self.method, self.path, content=content, headers=headers)


@asynccontextmanager
async def _evidence(tmp_path: Path) -> AsyncIterator[JsonEndpoint]:
    async with evidence_service(tmp_path) as service:
        yield JsonEndpoint(
            "evidence", service.client, "POST", "/v1/evidence", {"title": "Mentored a new teacher"}, 201,
            service.auth("alice"), stored_string="title",
        )  # fmt: skip


@asynccontextmanager
async def _coaching(tmp_path: Path) -> AsyncIterator[JsonEndpoint]:
    bus = SqliteEventLog(tmp_path / "events.sqlite", poll_interval=0.02)
    documents = SqliteDocumentStore(tmp_path / "coaching.sqlite")
    async with coaching_app(tmp_path, bus=bus, documents=documents) as h:
        yield JsonEndpoint(
            "coaching", h.client, "PUT", "/v1/me/recipient", {"email": "alice@example.org"}, 200, h.token("alice"),
            stored_string="email",
        )  # fmt: skip


# The deployment's own links, without which the OB 3.0 service description is (rightly) not served.
OB_LINKS: dict[str, Any] = {
    f"ob_{name}_url": f"https://omnia.example/{name}"
    for name in ("privacy_policy", "terms_of_service", "client_registration", "authorization")
}


@asynccontextmanager
async def _issuer(tmp_path: Path) -> AsyncIterator[JsonEndpoint]:
    async with issuer_service(tmp_path, **OB_LINKS) as issuer:
        yield JsonEndpoint(
            "issuer", issuer.client, "PUT", "/v1/issuer/profile", {"name": "Omnia"}, 200,
            issuer.auth("admin", "institution-admin"), stored_string="name",
        )  # fmt: skip


@asynccontextmanager
async def _verifier(tmp_path: Path) -> AsyncIterator[JsonEndpoint]:
    async with verifier_service(tmp_path) as service:
        # A credential object that is read and checked, and fails: 422 is the VC-API's "not verified".
        body = {"verifiableCredential": {"type": ["VerifiableCredential"]}}
        yield JsonEndpoint("verifier", service.client, "POST", "/credentials/verify", body, 422)


RUNNERS = {"evidence": _evidence, "coaching": _coaching, "issuer": _issuer, "verifier": _verifier}


def running(name: str, tmp_path: Path) -> AbstractAsyncContextManager[JsonEndpoint]:
    return RUNNERS[name](tmp_path)


@pytest.fixture(params=SERVICES)
async def endpoint(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[JsonEndpoint]:
    async with running(request.param, tmp_path) as probe:
        yield probe


@pytest.fixture(params=GUARDED_SERVICES)
async def guarded_endpoint(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[JsonEndpoint]:
    """An endpoint of a service that needs a token and stores its input (not the public verifier)."""
    async with running(request.param, tmp_path) as probe:
        assert probe.headers and probe.stored_string is not None
        yield probe
