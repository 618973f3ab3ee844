"""Runs the evidence app in-process on its embedded adapters (temporary directory), with a bus that records events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
from fastapi import FastAPI
from testkit.problems import assert_problem as assert_problem  # re-exported: this folder's tests import it from here

from rexvet_coaching.events import SCHEMAS_DIR as COACHING_SCHEMAS
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.events.catalogue import BY_TYPE
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.messaging.outbox import PENDING_FIELD
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import Handler, RetryPolicy
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app
from rexvet_evidence.application import hr_events, records
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token

ISSUER = "http://issuer.test"
AUDIENCE = "rexvet"
BASE_URL = "http://evidence.test"
DRAIN_SECONDS = 30.0

ROLE_SCOPES = {
    "staff": ("evidence:read", "evidence:write"),
    "coach": ("evidence:read", "evidence:review"),
    "hr-system": ("hr:write",),
}


class RecordingBus:
    """Our EventBus port, recording what the outbox relay publishes (the evidence service consumes nothing)."""

    def __init__(self) -> None:
        self.published: list[tuple[str, CloudEvent]] = []

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, topic: str, event: CloudEvent) -> None:
        self.published.append((topic, event))

    def subscribe(
        self, topics: Sequence[str], group: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        raise NotImplementedError("the evidence service consumes no events")

    def subscribe_broadcast(
        self, topics: Sequence[str], name: str, handler: Handler, *, retry: RetryPolicy | None = None
    ) -> None:
        raise NotImplementedError("the evidence service consumes no events")

    async def ping(self) -> None:
        return None

    async def consumer_lag(self, group: str) -> dict[str, int]:
        return {}


@dataclass
class Service:
    client: httpx.AsyncClient
    app: FastAPI
    bus: RecordingBus
    ring: SigningKeyRing
    settings: EvidenceSettings
    tenant: str = "omnia"

    def auth(self, sub: str, role: str = "staff", *, tenant: str | None = None, scopes: Sequence[str] | None = None):  # type: ignore[no-untyped-def]
        token = mint_access_token(
            self.ring.ensure(allow_create=False),
            issuer=ISSUER,
            audience=AUDIENCE,
            sub=sub,
            tenant=tenant or self.tenant,
            roles=(role,),
            scopes=tuple(scopes if scopes is not None else ROLE_SCOPES[role]),
            ttl_seconds=600,
        )
        return {"Authorization": f"Bearer {token}"}

    @property
    def documents(self) -> DocumentStore:
        store: DocumentStore = self.app.state.runtime.platform.documents
        return store

    async def drained(self) -> list[tuple[str, CloudEvent]]:
        """Every event published once the relay has nothing pending (waits for it; fails if it never gets there)."""
        async with asyncio.timeout(DRAIN_SECONDS):
            for collection in (records.COLLECTION, hr_events.COLLECTION):
                while True:
                    if not await self.documents.count(collection, {PENDING_FIELD: True}):
                        break
                    await asyncio.sleep(0.02)
        return list(self.bus.published)

    async def events_of(self, event_type: str) -> list[tuple[str, CloudEvent]]:
        return [(topic, event) for topic, event in await self.drained() if event.type == event_type]

    async def submit(self, sub: str = "alice", **fields: Any) -> dict[str, Any]:
        body = {"title": "Hosted a guest teacher from Tallinn", **fields}
        response = await self.client.post("/v1/evidence", json=body, headers=self.auth(sub))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


def valid_payload(event: CloudEvent) -> dict[str, Any]:
    """The event's data, after checking it against its catalogue model and the schema coaching says it consumes."""
    BY_TYPE[event.type].payload.model_validate(event.data)
    consumed = json.loads((COACHING_SCHEMAS / "consumed" / f"{event.type}.json").read_text())
    jsonschema.Draft202012Validator(consumed, format_checker=jsonschema.FormatChecker()).validate(event.data)
    return event.data


@asynccontextmanager
async def evidence_service(tmp_path: Path, **settings: Any) -> AsyncIterator[Service]:
    ring = SigningKeyRing(tmp_path / "token-keys")
    ring.create()
    platform = PlatformSettings(data_dir=tmp_path / "var", auth_issuer=ISSUER, auth_audience=AUDIENCE)
    evidence_settings = EvidenceSettings(platform=platform, public_url=BASE_URL, **settings)
    bus = RecordingBus()
    app = create_app(evidence_settings, keys=StaticJwks(ring.jwks), bus=bus)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield Service(client=client, app=app, bus=bus, ring=ring, settings=evidence_settings)
