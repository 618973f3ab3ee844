"""The portal in-process with a real issuer (its development OpenID provider) and a real coaching app.

One "browser" (an httpx client with a cookie jar) reaches all three through a transport that routes by host name,
so a test follows the sign-in exactly as a person's browser would: portal -> issuer /authorize -> the form -> the
callback -> the portal's pages, which call coaching with the person's token.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from issuer.harness import (
    AUDIENCE,
    ISSUER,
    Issuer,
    issuer_service,
)  # the issuer tests' package (tests/unit is on the path)

from rexvet_coaching.app import create_app as create_coaching_app
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app as create_evidence_app
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token
from rexvet_portal.app import create_app as create_portal_app
from rexvet_portal.settings import PortalSettings

__all__ = [
    "AUDIENCE",
    "EVIDENCE",
    "ISSUER",
    "PORTAL",
    "VERIFIER",
    "World",
    "hidden_fields",
    "set_cookie_headers",
    "world",
]

PORTAL = "http://portal.test"
COACHING = "https://coaching.test"
EVIDENCE = "https://evidence.test"
ISSUER_API = "https://issuer.test"  # the issuer harness's public address (its token service is ISSUER)
VERIFIER = "https://verifier.test"


class Hosts(httpx.AsyncBaseTransport):
    """Answers each host name with its app in-process; an unknown host is a connection error, as on a network."""

    def __init__(self) -> None:
        self.apps: dict[str, httpx.ASGITransport] = {}

    def add(self, host: str, app: FastAPI) -> None:
        self.apps[host] = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self.apps.get(request.url.host)
        if transport is None:
            raise httpx.ConnectError(f"no host {request.url.host}", request=request)
        return await transport.handle_async_request(request)


@dataclass
class World:
    browser: httpx.AsyncClient
    portal: FastAPI
    issuer: Issuer
    coaching: FastAPI
    evidence: FastAPI
    hosts: Hosts
    portal_documents: SqliteDocumentStore

    async def sign_in(
        self,
        sub: str = "alice",
        name: str = "Alice Virtanen",
        roles: tuple[str, ...] = ("staff",),
        path: str = "/ladder",
    ) -> httpx.Response:
        """Open `path` signed out and sign in on the development page; the page reached at the end."""
        form_page = await self.browser.get(PORTAL + path)
        assert form_page.status_code == 200, form_page.text
        assert str(form_page.url).startswith(ISSUER + "/authorize"), form_page.url
        fields = hidden_fields(form_page.text)
        fields |= {"action": "sign-in", "tenant": "omnia", "sub": sub, "name": name, "roles": list(roles)}
        return await self.browser.post(ISSUER + "/authorize", data=fields)

    def staff_auth(
        self, sub: str, role: str = "staff", scopes: tuple[str, ...] = ("coaching:read", "evidence:read")
    ) -> dict[str, str]:
        """A token for calling coaching and evidence directly (a staff member reading, a coach reviewing)."""
        token = mint_access_token(
            self.issuer.ring.ensure(allow_create=False),
            issuer=ISSUER,
            audience=AUDIENCE,
            sub=sub,
            tenant="omnia",
            roles=(role,),
            scopes=scopes,
            ttl_seconds=600,
        )
        return {"Authorization": f"Bearer {token}"}

    async def coaching_enrolment(self, enrolment_id: str, sub: str = "alice") -> dict[str, Any]:
        """Coaching's own record of an enrolment, read with the person's token."""
        async with httpx.AsyncClient(transport=self.hosts, base_url=COACHING) as client:
            response = await client.get(f"/v1/me/enrolments/{enrolment_id}", headers=self.staff_auth(sub))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def evidence_of(self, sub: str) -> list[dict[str, Any]]:
        """The evidence service's own list of a person's evidence."""
        async with httpx.AsyncClient(transport=self.hosts, base_url=EVIDENCE) as client:
            response = await client.get("/v1/evidence", headers=self.staff_auth(sub))
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def cookie(self, name: str) -> str | None:
        return self.browser.cookies.get(name)


def hidden_fields(html: str) -> dict[str, Any]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def set_cookie_headers(response: httpx.Response) -> list[str]:
    return [value for name, value in response.headers.multi_items() if name.lower() == "set-cookie"]


@asynccontextmanager
async def world(
    tmp_path: Path,
    *,
    coaching_url: str = COACHING,
    evidence_url: str = EVIDENCE,
    portal_url: str = PORTAL,
    evidence_max_upload_bytes: int | None = None,
    **portal_settings: Any,
) -> AsyncIterator[World]:
    async with AsyncExitStack() as stack:
        issuer = await stack.enter_async_context(
            issuer_service(
                tmp_path / "issuer",
                oidc_redirect_uris=portal_url + "/auth/callback",
                # The token service signs with the harness's key ring, which the issuer's own API trusts.
                token_key_dir=tmp_path / "issuer" / "token-keys",
            )
        )
        token_keys = issuer.app.state.runtime.context.token_service.keys
        assert isinstance(token_keys, SigningKeyRing)
        coaching_settings = CoachingSettings(
            platform=PlatformSettings(data_dir=tmp_path / "coaching-var", auth_issuer=ISSUER, auth_audience=AUDIENCE),
            public_url=COACHING,
            consumer_group=f"coaching-portal-test-{uuid.uuid4().hex[:8]}",
        )
        coaching = create_coaching_app(
            coaching_settings,
            keys=StaticJwks(token_keys.jwks),  # coaching trusts the issuer's token keys, as in make run
            bus=SqliteEventLog(tmp_path / "coaching-events.sqlite3", poll_interval=0.02),
            documents=SqliteDocumentStore(tmp_path / "coaching.sqlite3"),
        )
        await stack.enter_async_context(coaching.router.lifespan_context(coaching))
        # The evidence service on the same event log: coaching hears of approved evidence, as on the platform.
        evidence_settings = EvidenceSettings(
            platform=PlatformSettings(data_dir=tmp_path / "evidence-var", auth_issuer=ISSUER, auth_audience=AUDIENCE),
            public_url=EVIDENCE,
            max_upload_bytes=evidence_max_upload_bytes or EvidenceSettings.model_fields["max_upload_bytes"].default,
        )
        evidence = create_evidence_app(
            evidence_settings,
            keys=StaticJwks(token_keys.jwks),
            bus=SqliteEventLog(tmp_path / "coaching-events.sqlite3", poll_interval=0.02),
        )
        await stack.enter_async_context(evidence.router.lifespan_context(evidence))
        hosts = Hosts()
        hosts.add("issuer.test", issuer.app)
        hosts.add("coaching.test", coaching)
        hosts.add("evidence.test", evidence)
        documents = SqliteDocumentStore(tmp_path / "portal.sqlite3")
        settings = PortalSettings(
            platform=PlatformSettings(data_dir=tmp_path / "portal-var", auth_issuer=ISSUER, auth_audience=AUDIENCE),
            public_url=portal_url,
            coaching_url=coaching_url,
            evidence_url=evidence_url,
            evidence_max_upload_bytes=evidence_max_upload_bytes,
            issuer_url=ISSUER_API,
            verifier_url=VERIFIER,
            **portal_settings,
        )
        portal = create_portal_app(settings, documents=documents, transport=hosts)
        await stack.enter_async_context(portal.router.lifespan_context(portal))
        hosts.add("portal.test", portal)
        browser = await stack.enter_async_context(
            httpx.AsyncClient(transport=hosts, follow_redirects=True, base_url=portal_url)
        )
        yield World(browser, portal, issuer, coaching, evidence, hosts, documents)
