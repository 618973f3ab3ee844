"""Runs the verifier app in-process on its embedded adapters (temporary directory), with documents served by URL."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from fastapi import FastAPI
from testkit import problems
from testkit.waiting import eventually as eventually  # re-exported: this folder's tests import it from here

from rexvet_common.events import topics
from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.settings import PlatformSettings
from rexvet_credentials.baking import CredentialFormat, extract_image
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.offline_documents import PreloadedFetcher
from rexvet_credentials.ports import Clock, DocumentFetcher
from rexvet_verifier.app import create_app
from rexvet_verifier.settings import VerifierSettings

if TYPE_CHECKING:
    from rexvet_verifier.adapters.work_pool import WorkPool

BASE_URL = "http://verifier.test"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
FIXED_CLOCK = FixedClock(NOW)  # the 1EdTech files and our signed credentials are all valid then
WAIT_SECONDS = 60.0  # a guard against hanging, not a timing requirement
LIMIT = 256 * 1024  # the tests' body limit: above every conformance file, small enough to exceed cheaply


@dataclass
class Service:
    client: httpx.AsyncClient
    app: FastAPI
    documents: PreloadedFetcher | None

    @property
    def bus(self) -> EventBus:
        bus: EventBus = self.app.state.runtime.platform.bus
        return bus

    async def publish_issuer_event(self, event_type: str, data: dict[str, Any], **kwargs: Any) -> CloudEvent:
        event = new_event(
            type=f"org.rexvet.{event_type}.v1",
            source="rexvet/issuer-test",
            key=f"{data['institution']}:{data.get('staff_id', 'issuer')}",
            data=data,
            **kwargs,
        )
        await self.bus.publish(topics.ISSUER, event)
        return event

    async def verify_json(self, credential: Any) -> dict[str, Any]:
        response = await self.client.post("/v1/verify", json=credential)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@asynccontextmanager
async def verifier_service(
    tmp_path: Path,
    *,
    fetcher: DocumentFetcher | None = None,
    use_network: bool = False,
    clock: Clock = FIXED_CLOCK,
    bus: EventBus | None = None,
    pool: WorkPool | None = None,
    **settings: Any,
) -> AsyncIterator[Service]:
    """With `use_network` the service builds its own guarded fetcher; otherwise documents come from a preloaded one.

    Unless a test says otherwise: heavy work in threads (no worker processes to start for every test) and no rate
    limit (a test verifies more often than a person would); the tests of those two set them.
    """
    settings = {"cpu_pool": "thread", "rate_limit_per_minute": 0, **settings}
    extra: dict[str, Any] = {"pool": pool} if pool is not None else {}
    documents = None if use_network else (fetcher if isinstance(fetcher, PreloadedFetcher) else PreloadedFetcher())
    platform = PlatformSettings(data_dir=tmp_path / "var")
    app = create_app(
        VerifierSettings(platform=platform, **settings),
        fetcher=None if use_network else (fetcher or documents),
        clock=clock,
        bus=bus,
        **extra,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield Service(client=client, app=app, documents=documents)


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The verifier's tests name a problem by its `code` (testkit's check, with the code in third place)."""
    return problems.assert_problem(response, status, code=code)


def checks_by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in report["checks"]}


# --- the issuer documents the 1EdTech files need (their hosts do not resolve here) --------------------------


def _segment(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def issuer_document_for(text: str) -> tuple[str, dict[str, Any]]:
    """(issuer URL, its profile listing the signing key): what the issuer would have to publish for the key
    binding to hold (rexvet never trusts a key only because it is written after the issuer's URL)."""
    if text.lstrip().startswith("{"):
        credential = json.loads(text)
        proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
        issuer, method_id = credential["issuer"]["id"], proof["verificationMethod"]
        method = {"id": method_id, "type": "Multikey", "publicKeyMultibase": method_id.split("#", 1)[1]}
    else:
        issuer = _segment(text, 1)["iss"]
        method_id = f"{issuer}#key-1"
        method = {"id": method_id, "type": "JsonWebKey", "publicKeyJwk": _segment(text, 0)["jwk"]}
    return issuer, {"id": issuer, "type": "Profile", "verificationMethod": [method], "assertionMethod": [method_id]}


def serve_issuer_of(fetcher: PreloadedFetcher, data: bytes) -> str:
    baked = extract_image(data) if data[:1] in (b"\x89", b"<") else None
    text = baked.text if baked is not None else data.decode()
    assert baked is None or baked.format in (CredentialFormat.JSON, CredentialFormat.JWS)
    issuer, document = issuer_document_for(text)
    fetcher.add(issuer, json.dumps(document).encode())
    return issuer
