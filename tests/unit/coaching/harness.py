"""Runs the coaching app in-process on a given bus and document store, with tokens and an observer of its events."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from testkit.waiting import eventually as eventually  # re-exported: this folder's tests import it from here

from rexvet_coaching.app import create_app
from rexvet_coaching.application.records import COLLECTION
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.events import topics
from rexvet_common.events.envelope import CloudEvent, new_event, partition_key
from rexvet_common.messaging.outbox import PENDING_FIELD
from rexvet_common.ports.document_store import DocumentStore
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.settings import PlatformSettings
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token

ISSUER = "http://issuer.test"
AUDIENCE = "rexvet"
PUBLIC_URL = "https://coaching.test"
WAIT_SECONDS = 120.0  # a guard against hanging, not a timing requirement


@dataclass
class Harness:
    client: httpx.AsyncClient
    bus: EventBus
    documents: DocumentStore
    ring: SigningKeyRing
    observer_group: str
    tenant: str = "omnia"
    emitted: list[CloudEvent] = field(default_factory=list)

    def token(self, sub: str, *roles: str, tenant: str | None = None, write: bool = True) -> dict[str, str]:
        scopes = ["coaching:read", *(["coaching:write"] if write else [])]
        token = mint_access_token(
            self.ring.ensure(allow_create=False),
            issuer=ISSUER,
            audience=AUDIENCE,
            sub=sub,
            tenant=tenant or self.tenant,
            roles=roles or ("staff",),
            scopes=scopes,
            ttl_seconds=600,
        )
        return {"Authorization": f"Bearer {token}"}

    async def publish(self, topic: str, type_: str, data: dict[str, Any], *, event_id: str | None = None) -> CloudEvent:
        event = new_event(
            type=type_,
            source="rexvet/test",
            key=partition_key(data["institution"], data["staff_id"]),
            data=data,
            event_id=event_id,
        )
        await self.bus.publish(topic, event)
        return event

    async def republish(self, topic: str, event: CloudEvent) -> None:
        await self.bus.publish(topic, event)

    def of_type(self, suffix: str) -> list[CloudEvent]:
        """Events of one type about this harness's institution (a shared Kafka topic may hold older runs' too)."""
        return [
            e for e in self.emitted if e.type == f"org.rexvet.{suffix}.v1" and e.data.get("institution") == self.tenant
        ]

    async def settled(self) -> None:
        """Wait until no staff record has unpublished events and the observer has read everything published."""
        await eventually(self._nothing_pending)

    async def _nothing_pending(self) -> bool:
        if (await self.documents.count(COLLECTION, {PENDING_FIELD: True})) != 0:
            return False
        lag = await self.bus.consumer_lag(self.observer_group)
        return not any(lag.values())


@asynccontextmanager
async def coaching_app(
    tmp_path: Path,
    *,
    bus: EventBus,
    documents: DocumentStore,
    platform: PlatformSettings | None = None,
    tenant: str = "omnia",
    consumer_group: str | None = None,
    observer_group: str | None = None,
) -> AsyncIterator[Harness]:
    """Groups are unique per run so a shared Kafka never splits partitions with another consumer of the same name."""
    ring = SigningKeyRing(tmp_path / "token-keys")
    ring.create()
    settings = CoachingSettings(
        platform=platform or PlatformSettings(data_dir=tmp_path / "var", auth_issuer=ISSUER, auth_audience=AUDIENCE),
        public_url=PUBLIC_URL,
        consumer_group=consumer_group or f"coaching-test-{uuid.uuid4().hex[:8]}",
    )
    observer_group = observer_group or f"test-observer-{uuid.uuid4().hex[:8]}"
    harness_events: list[CloudEvent] = []

    async def observe(event: CloudEvent) -> None:
        harness_events.append(event)

    bus.subscribe([topics.COACHING], observer_group, observe)
    app = create_app(settings, keys=StaticJwks(ring.jwks), bus=bus, documents=documents)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield Harness(
                client=client,
                bus=bus,
                documents=documents,
                ring=ring,
                observer_group=observer_group,
                tenant=tenant,
                emitted=harness_events,
            )


def problem(r: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    """An RFC 9457 problem answer with this status and type slug; its body."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["type"].endswith("/" + slug), body
    return body
