"""The portal's pages at institution scale: the ladder and the coach's queue, beside a static page of the same size.

An institution of BENCH_PORTAL_STAFF staff members (10,000 by default) is seeded through coaching's and evidence's
application layer on the embedded backend (SQLite documents): every person enrolled in Abroad / Rookie with a coach
and named in the people directory; one coach has BENCH_PORTAL_COACHEES coachees (500), the rest groups of 100. Half
the big coach's coachees and a tenth of the others have closed their own steps (their debrief's sign-off is asked for),
and a fifth of all staff has evidence waiting for review. Seeding goes below the HTTP API because 30,000 requests would
only time the seed; the reads measured go through the whole stack: the portal's ASGI app, its session store, its
clients, the coaching and evidence apps (in-process ASGI, no network), their token checks and stores.

Server time is the time from the request entering the portal's ASGI app to its full answer; the floor is the same
portal app returning a prepared page of the same size through the same middleware (no session, no service call), so
the ratio is what the page's own work costs. The number of calls each page makes to the other services is counted at
the transport. No figure is asserted: the run prints them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from rexvet_coaching.app import create_app as create_coaching_app
from rexvet_coaching.bootstrap import CoachingContext
from rexvet_coaching.domain.directory import SignIn
from rexvet_coaching.settings import CoachingSettings
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.messaging.outbox import PENDING_FIELD
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app as create_evidence_app
from rexvet_evidence.application.records import Submission
from rexvet_evidence.bootstrap import EvidenceContext
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token
from rexvet_portal.api.deps import SESSION_COOKIE
from rexvet_portal.app import create_app as create_portal_app
from rexvet_portal.bootstrap import PortalContext
from rexvet_portal.domain.session import Person, Session, Tokens
from rexvet_portal.settings import PortalSettings

TENANT = "bench-institution"
ISSUER = "http://issuer.bench"
AUDIENCE = "rexvet"
PORTAL = "http://portal.bench"
COACHING = "http://coaching.bench"
EVIDENCE = "http://evidence.bench"
BIG_COACH = "coach-big"
GROUP = 100
STAFF_SCOPES = ("openid", "coaching:read", "coaching:write", "evidence:read", "evidence:write")
COACH_SCOPES = ("openid", "coaching:read", "coaching:write", "evidence:read", "evidence:review")


class Hosts(httpx.AsyncBaseTransport):
    """Each host answered by its app in-process; counts the requests to each, so a page's calls can be read."""

    def __init__(self) -> None:
        self.apps: dict[str, httpx.ASGITransport] = {}
        self.calls: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()  # time spent answering, per host (ASGITransport reads the whole body)

    def add(self, host: str, app: FastAPI) -> None:
        self.apps[host] = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[request.url.host] += 1
        started = time.perf_counter()
        try:
            return await self.apps[request.url.host].handle_async_request(request)
        finally:
            self.seconds[request.url.host] += time.perf_counter() - started


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Timed:
    """Wraps an ASGI app and notes how long each HTTP request took, from entering it to its last byte sent."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        await self.app(scope, receive, send)
        self.last = time.perf_counter() - started


async def seed(coaching: CoachingContext, evidence: EvidenceContext, staff: int, coachees: int) -> dict[str, Any]:
    rng = random.Random(16)
    service, directory = coaching.coaching, coaching.directory
    now = datetime.now(UTC)
    people: list[tuple[str, str]] = []
    started = time.perf_counter()
    for number in range(staff):
        staff_id = f"staff-{number:05d}"
        coach = BIG_COACH if number < coachees else f"coach-{(number - coachees) // GROUP:03d}"
        people.append((staff_id, coach))
        await directory.record_sign_in(
            SignIn(TENANT, staff_id, roles=("staff",), display_name=f"Person {number:05d}", email=None, at=now)
        )
        enrolment = await service.enrol(TENANT, staff_id, "abroad-rookie", coach_id=coach)
        if rng.random() < (0.5 if coach == BIG_COACH else 0.1):
            for step in ("learning-goals", "take-part"):
                await service.complete_step(TENANT, staff_id, enrolment.id, step)
        if rng.random() < 0.2:
            await evidence.records.submit(
                institution=TENANT,
                staff_id=staff_id,
                submission=Submission(
                    title=f"Job shadowing {number}", badge_id="abroad-rookie", requirement_id="mobility"
                ),
            )
    for coach in {coach for _, coach in people}:
        await directory.record_sign_in(
            SignIn(TENANT, coach, roles=("coach",), display_name=f"Coach {coach}", email=None, at=now)
        )
    return {"seconds": time.perf_counter() - started, "people": people}


async def settled(documents: SqliteDocumentStore, collections: tuple[str, ...]) -> None:
    """Until the outbox relays have published what the seed wrote, so they do not run during the measurement."""
    for _ in range(6000):
        if not any([await documents.count(c, {PENDING_FIELD: True}) for c in collections]):
            return
        await asyncio.sleep(0.1)


async def session_for(portal: PortalContext, ring: SigningKeyRing, sub: str, roles: tuple[str, ...]) -> str:
    """A signed-in session as the portal's sign-in would store it (the OpenID round trip is not what is measured)."""
    scopes = COACH_SCOPES if "coach" in roles else STAFF_SCOPES
    token = mint_access_token(
        ring.ensure(allow_create=False),
        issuer=ISSUER,
        audience=AUDIENCE,
        sub=sub,
        tenant=TENANT,
        roles=roles,
        scopes=scopes,
        ttl_seconds=7200,
    )
    now = time.time()
    session = Session(
        id=uuid.uuid4().hex,
        person=Person(sub=sub, tenant=TENANT, name=sub, roles=roles),
        tokens=Tokens(access_token=token, access_expires_at=now + 7200, refresh_token=None),
        csrf_token=uuid.uuid4().hex,
        created_at=now,
        last_seen_at=now,
        absolute_expiry=now + 7200,
        idle_seconds=7200,
    )
    await portal.sign_in.sessions.save(session)
    return session.id


async def measure(
    client: httpx.AsyncClient, timed: Timed, path: str, cookies: Callable[[int], str], rounds: int, hosts: Hosts
) -> tuple[list[float], int, dict[str, float]]:
    """Server times (ms), the page's size, and the median time (ms) each service took answering the page."""
    samples: list[float] = []
    per_service: dict[str, list[float]] = {}
    size = 0
    for i in range(rounds):
        hosts.seconds.clear()
        response = await client.get(path, cookies={SESSION_COOKIE: cookies(i)} if cookies(i) else None)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        samples.append(timed.last * 1000)
        for host, seconds in hosts.seconds.items():
            per_service.setdefault(host.split(".")[0], []).append(seconds * 1000)
        size = len(response.content)
    return samples, size, {name: statistics.median(times) for name, times in per_service.items()}


async def review_queue_against_paging(
    hosts: Hosts, ring: SigningKeyRing, people: list[tuple[str, str]], rounds: int
) -> str:
    """The evidence part of the coach's queue two ways: the filtered review queue (what the portal calls), and what
    it did before, paging through the institution's whole list of evidence waiting for review and keeping the
    coach's coachees' (200 a page, the list's largest)."""
    token = mint_access_token(
        ring.ensure(allow_create=False),
        issuer=ISSUER,
        audience=AUDIENCE,
        sub=BIG_COACH,
        tenant=TENANT,
        roles=("coach",),
        scopes=COACH_SCOPES,
        ttl_seconds=3600,
    )
    headers = {"Authorization": f"Bearer {token}"}
    mine = [staff_id for staff_id, coach in people if coach == BIG_COACH]
    filtered: list[float] = []
    paged: list[float] = []
    pages = found = 0
    async with httpx.AsyncClient(transport=hosts, base_url=EVIDENCE) as client:
        for _ in range(rounds):
            started = time.perf_counter()
            answer = await client.post("/v1/evidence/review-queue", json={"staff_ids": mine}, headers=headers)
            filtered.append((time.perf_counter() - started) * 1000)
            found = len(answer.json()["items"])
            started, cursor, pages, kept = time.perf_counter(), None, 0, 0
            wanted = set(mine)
            while True:
                params: dict[str, Any] = {"state": "submitted", "limit": 200} | ({"cursor": cursor} if cursor else {})
                body = (await client.get("/v1/evidence", params=params, headers=headers)).json()
                pages += 1
                kept += sum(1 for item in body["items"] if item["staff_id"] in wanted)
                cursor = body.get("next_cursor")
                if not cursor:
                    break
            paged.append((time.perf_counter() - started) * 1000)
            assert kept == found, (kept, found)
    return (
        f"evidence to review for {BIG_COACH} ({found} pieces): review queue 1 call, "
        f"{statistics.median(filtered):.1f} ms median; paging the institution's list {pages} calls, "
        f"{statistics.median(paged):.1f} ms median ({statistics.median(paged) / statistics.median(filtered):.1f}x)"
    )


def line(
    name: str, samples: list[float], floor: list[float], calls: dict[str, int], size: int, services: dict[str, float]
) -> str:
    median, p99 = statistics.median(samples), percentile(samples, 0.99)
    floor_median, floor_p99 = statistics.median(floor), percentile(floor, 0.99)
    called = ", ".join(f"{host.split('.')[0]} {n}" for host, n in sorted(calls.items())) or "none"
    within = ", ".join(f"{service} {ms:.1f}" for service, ms in sorted(services.items()))
    return (
        f"| {name} | {size:,} | {median:.1f} / {p99:.1f} | {within} | {floor_median:.2f} / {floor_p99:.2f} | "
        f"{median / floor_median:.0f}x / {p99 / floor_p99:.0f}x | {sum(calls.values())} ({called}) |"
    )


async def main(staff: int, coachees: int, rounds: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="rexvet-bench-portal-"))
    ring = SigningKeyRing(tmp / "token-keys")
    ring.create()
    keys = StaticJwks(ring.jwks)

    def platform(name: str) -> PlatformSettings:
        return PlatformSettings(data_dir=tmp / name, auth_issuer=ISSUER, auth_audience=AUDIENCE)

    coaching_documents = SqliteDocumentStore(tmp / "coaching.sqlite3")
    coaching_app = create_coaching_app(
        CoachingSettings(platform=platform("coaching"), public_url=COACHING, consumer_group="coaching-bench"),
        keys=keys,
        bus=SqliteEventLog(tmp / "coaching-events.sqlite3", poll_interval=0.5),
        documents=coaching_documents,
    )
    evidence_app = create_evidence_app(
        EvidenceSettings(platform=platform("evidence"), public_url=EVIDENCE),
        keys=keys,
        bus=SqliteEventLog(tmp / "evidence-events.sqlite3", poll_interval=0.5),
    )
    hosts = Hosts()
    portal_app = create_portal_app(
        PortalSettings(
            platform=platform("portal"),
            public_url=PORTAL,
            coaching_url=COACHING,
            evidence_url=EVIDENCE,
            issuer_url="http://issuer-api.bench",
            verifier_url="http://verifier.bench",
        ),
        documents=SqliteDocumentStore(tmp / "portal.sqlite3"),
        transport=hosts,
    )
    async with AsyncExitStack() as stack:
        for app in (coaching_app, evidence_app, portal_app):
            await stack.enter_async_context(app.router.lifespan_context(app))
        hosts.add("coaching.bench", coaching_app)
        hosts.add("evidence.bench", evidence_app)
        coaching_context = coaching_app.state.runtime.context
        evidence_context = evidence_app.state.runtime.context
        portal_context = portal_app.state.runtime.context
        assert isinstance(coaching_context, CoachingContext) and isinstance(evidence_context, EvidenceContext)
        assert isinstance(portal_context, PortalContext)
        print(f"seeding {staff:,} staff of {TENANT} (coach {BIG_COACH}: {coachees} coachees) in {tmp} ...", flush=True)
        seeded = await seed(coaching_context, evidence_context, staff, coachees)
        evidence_documents = evidence_app.state.runtime.platform.documents
        await settled(coaching_documents, ("staff_records",))
        await settled(evidence_documents, ("evidence",))
        print(f"seeded in {seeded['seconds']:.0f} s", flush=True)

        timed = Timed(portal_app)
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=timed), base_url=PORTAL)
        )
        rng = random.Random(7)
        staff_sessions = [
            await session_for(portal_context, ring, staff_id, ("staff",))
            for staff_id, _ in rng.sample(seeded["people"], 50)
        ]
        coach_session = await session_for(portal_context, ring, BIG_COACH, ("coach",))

        results = []
        for name, path, cookie, count in (
            ("ladder (staff)", "/ladder", lambda i: staff_sessions[i % len(staff_sessions)], rounds),
            (f"coach queue ({coachees} coachees)", "/coach", lambda i: coach_session, max(20, rounds // 5)),
        ):
            await client.get(path, cookies={SESSION_COOKIE: cookie(0)})  # warm: templates, framework cache
            hosts.calls.clear()
            await client.get(path, cookies={SESSION_COOKIE: cookie(0)})
            calls = dict(hosts.calls)
            samples, size, services = await measure(client, timed, path, cookie, count, hosts)
            page = (await client.get(path, cookies={SESSION_COOKIE: cookie(0)})).content
            floor_path = f"/bench-floor/{len(results)}"
            portal_app.add_api_route(floor_path, lambda body=page: HTMLResponse(body), include_in_schema=False)
            await client.get(floor_path)
            floor, _, _ = await measure(client, timed, floor_path, lambda i: "", count, hosts)
            results.append(line(name, samples, floor, calls, size, services))

        print()
        print(f"portal pages, {staff:,} staff, embedded backend, {rounds} rounds (coach queue: {max(20, rounds // 5)})")
        print(
            "| page | bytes | server ms median / p99 | of which in services, ms median | floor ms median / p99 "
            "| ratio median / p99 | calls to services |"
        )
        print("|---|---|---|---|---|---|---|")
        for result in results:
            print(result)
        print(await review_queue_against_paging(hosts, ring, seeded["people"], max(20, rounds // 5)))
        print(f"(load average {os.getloadavg()[0]:.1f})")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=int(os.environ.get("BENCH_PORTAL_STAFF", "10000")))
    parser.add_argument("--coachees", type=int, default=int(os.environ.get("BENCH_PORTAL_COACHEES", "500")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_PORTAL_ROUNDS", "200")))
    arguments = parser.parse_args()
    asyncio.run(main(arguments.staff, min(arguments.coachees, arguments.staff), arguments.rounds))
