"""Runs the issuer app in-process on its embedded adapters (SQLite event log and document store in a temporary
directory), with tokens, an observer of what it emits, and a verifier that fetches from the app itself."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from testkit.waiting import eventually as eventually  # re-exported: this folder's tests import it from here

from rexvet_coaching.default_framework import DEFAULT_FRAMEWORK_FILE
from rexvet_coaching.domain.achievement import render_achievement, version_url
from rexvet_coaching.domain.eligibility import eligibility_id
from rexvet_coaching.domain.loading import load_framework_file
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.events import topics
from rexvet_common.events.envelope import CloudEvent, new_event, partition_key
from rexvet_common.messaging.outbox import PENDING_FIELD
from rexvet_common.ports.event_bus import RetryPolicy
from rexvet_common.settings import PlatformSettings
from rexvet_credentials import SystemClock, VerificationReport, verify_credential
from rexvet_credentials.errors import FetchError
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.ports import FetchedDocument
from rexvet_issuer.app import create_app
from rexvet_issuer.application import credentials, issuers
from rexvet_issuer.settings import IssuerSettings
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token

ISSUER = "http://issuer.test"  # the token issuer
AUDIENCE = "rexvet"
BASE_URL = "https://issuer.test"  # the credential issuer's public address
COACHING_URL = "https://coaching.test"
WAIT_SECONDS = 60.0  # a guard against hanging, not a timing requirement
GROUP = "issuer-test"
DEAD_LETTERS = topics.dead_letter_topic(topics.COACHING, GROUP)

ROLE_SCOPES = {
    "staff": ("issuer:read",),
    "manager": ("issuer:read", "issuer:write"),
    "institution-admin": ("issuer:read", "issuer:write"),
    "coach": ("issuer:read",),
}


class AppFetcher:
    """The credential engine's DocumentFetcher port, answered by the issuer app in-process (no network)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.fetched: list[str] = []

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        self.fetched.append(url)
        if not url.startswith(BASE_URL + "/"):
            raise FetchError(f"{url} is not served by the issuer under test", code="fetch_refused_test")
        response = await self.client.get(url, headers={"Accept": accept})
        if response.status_code != 200:
            raise FetchError(f"{url} answered {response.status_code}", code="fetch_http_error")
        return FetchedDocument(url, response.content, response.headers.get("content-type"))


@dataclass
class Issuer:
    client: httpx.AsyncClient
    app: FastAPI
    bus: SqliteEventLog
    documents: SqliteDocumentStore
    ring: SigningKeyRing
    settings: IssuerSettings
    emitted: list[tuple[str, CloudEvent]] = field(default_factory=list)
    tenant: str = "omnia"

    def auth(self, sub: str, role: str = "staff", *, tenant: str | None = None) -> dict[str, str]:
        token = mint_access_token(
            self.ring.ensure(allow_create=False),
            issuer=ISSUER,
            audience=AUDIENCE,
            sub=sub,
            tenant=tenant or self.tenant,
            roles=(role,),
            scopes=ROLE_SCOPES[role],
            ttl_seconds=600,
        )
        return {"Authorization": f"Bearer {token}"}

    async def publish_eligible(self, data: dict[str, Any], *, event_id: str | None = None) -> CloudEvent:
        event = new_event(
            type="org.rexvet.badge.eligible.v1",
            source="rexvet/test",
            key=partition_key(data["institution"], data["staff_id"]),
            data=data,
            event_id=event_id,
        )
        await self.bus.publish(topics.COACHING, event)
        return event

    async def republish(self, event: CloudEvent) -> None:
        await self.bus.publish(topics.COACHING, event)

    async def settled(self) -> None:
        """Every event of the coaching topic consumed, the outboxes empty and the observer caught up."""

        async def nothing_pending() -> bool:
            for group in (GROUP, "test-observer"):
                if any((await self.bus.consumer_lag(group)).values()):
                    return False
            for collection in (credentials.COLLECTION, issuers.COLLECTION):
                if await self.documents.count(collection, {PENDING_FIELD: True}):
                    return False
            return True

        await eventually(nothing_pending)

    def of_type(self, suffix: str) -> list[CloudEvent]:
        return [event for _, event in self.emitted if event.type == f"org.rexvet.{suffix}.v1"]

    def dead_letters(self) -> list[CloudEvent]:
        return [event for topic, event in self.emitted if topic == DEAD_LETTERS]

    async def verify(self, credential: dict[str, Any] | bytes) -> VerificationReport:
        """rexvet's verifier with fresh caches, reaching keys and status lists through `AppFetcher`."""
        ports = network_ports(SystemClock(), fetcher=AppFetcher(self.client))
        data = credential if isinstance(credential, bytes) else json.dumps(credential).encode()
        return await verify_credential(
            data, clock=SystemClock(), key_resolver=ports.key_resolver, status_checker=ports.status_checker
        )


_FRAMEWORK = load_framework_file(DEFAULT_FRAMEWORK_FILE)


def achievement(badge_id: str = "abroad-rookie") -> dict[str, Any]:
    """The Achievement exactly as coaching renders it into `badge.eligible`."""
    badge = _FRAMEWORK.badge(badge_id)
    assert badge is not None
    return render_achievement(_FRAMEWORK, badge, version_url(COACHING_URL, _FRAMEWORK))


def eligible(
    staff_id: str = "s-1",
    *,
    tenant: str = "omnia",
    badge_id: str = "abroad-rookie",
    episode: int = 1,
    recipient: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A `badge.eligible` payload shaped as coaching's eligibility engine writes it."""
    rendered = achievement(badge_id)
    ladder = rendered["resultDescription"][0]
    data: dict[str, Any] = {
        "institution": tenant,
        "staff_id": staff_id,
        "eligibility_id": eligibility_id(tenant, staff_id, badge_id, _FRAMEWORK.version, episode),
        "enrolment_id": str(uuid.uuid4()),
        "badge_id": badge_id,
        "framework_version": _FRAMEWORK.version,
        "episode": episode,
        "direction": badge_id.split("-")[0],
        "level": badge_id.split("-")[1],
        "achievement": rendered,
        "result": {"resultDescription": ladder["id"], "achievedLevel": ladder["requiredLevel"]},
        "evidence": [
            {
                "type": ["Evidence"],
                "id": "https://portfolio.example.org/sanna/tallinn",
                "name": "Took part in a mobility",
                "narrative": "Two weeks of job shadowing at a VET school in Tallinn",
            }
        ],
        "recipient": recipient if recipient is not None else {"staff_id": staff_id, "email": "sanna@omnia.example"},
    }
    data.update(overrides)
    return data


@asynccontextmanager
async def issuer_service(
    tmp_path: Path, *, documents: SqliteDocumentStore | None = None, public_url: str = BASE_URL, **settings: Any
) -> AsyncIterator[Issuer]:
    """`documents` lets a test hand in the store (a subclass that fails on cue, for instance); `public_url` the
    issuer's public address (a live server's, for verifiers that fetch over the network)."""
    ring = SigningKeyRing(tmp_path / "token-keys")
    ring.create()
    platform = PlatformSettings(data_dir=tmp_path / "var", auth_issuer=ISSUER, auth_audience=AUDIENCE)
    issuer_settings = IssuerSettings(platform=platform, public_url=public_url, consumer_group=GROUP, **settings)
    bus = SqliteEventLog(
        tmp_path / "events.sqlite3",
        poll_interval=0.02,
        default_retry=RetryPolicy(max_attempts=2, initial_backoff_seconds=0.01, max_backoff_seconds=0.05),
    )
    documents = documents or SqliteDocumentStore(tmp_path / "issuer.sqlite3")
    emitted: list[tuple[str, CloudEvent]] = []

    async def observe(event: CloudEvent) -> None:
        # The DLQ's events keep their own type; the topic tells them apart.
        emitted.append((DEAD_LETTERS if event.type == "org.rexvet.bus.dead_lettered.v1" else topics.ISSUER, event))

    bus.subscribe([topics.ISSUER, DEAD_LETTERS], "test-observer", observe)
    app = create_app(issuer_settings, keys=StaticJwks(ring.jwks), bus=bus, documents=documents)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield Issuer(client, app, bus, documents, ring, issuer_settings, emitted)
