"""Benchmark: an HR push becomes a stored credential and a rung on the ladder, through the services as processes.

For each backend (embedded: SQLite event log + SQLite documents; kafka: Kafka + FerretDB + S3) the bench starts
evidence, coaching, issuer and verifier as `make run` does (`python -m rexvet_common.serve`, one process each, on
free ports, data in a temporary directory; on the shared servers a Kafka namespace, Mongo database prefix and bucket
prefix of this run only). It prepares 2 x N staff through coaching's API (recipient, enrolment on Abroad / Rookie,
the two steps, the coach's sign-off), waits until the issuer has consumed what that emitted, then pushes one
`mobility.completed` HR event per person to evidence's HR API with an institution token:

- burst: N pushes at once (the pusher keeps --concurrency requests in flight);
- paced: N other staff at a fixed rate (--embedded-rate, --kafka-rate pushes/s).

Per badge it records: push sent; push answered (201); `hr.event.accepted` published (seen by an observer on the
bus; its own `time` is the receipt); `badge.eligible` created by coaching and `badge.issued` created by the issuer
(their `time`: written with the state change, so `badge.issued`'s time is when the credential was stored); and when
coaching's `GET /v1/me/ladder` first shows Rookie held (polled per person once its `badge.issued` is seen).
Throughput is badges over the time from the first push to the last credential stored / the last ladder moved.

    uv run --frozen python bench/pipeline/bench.py --backend embedded --backend kafka --staff 1000

Figures are printed as a table and as JSON lines (one per backend and phase).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from rexvet_cli.platform import SERVICES as PLATFORM_SERVICES
from rexvet_coaching.settings import load_coaching_settings
from rexvet_common.events import topics
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.event_bus import EventBus
from rexvet_common.wiring.backends import build_event_bus
from rexvet_issuer.settings import load_issuer_settings
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token

SERVICES = tuple(spec for spec in PLATFORM_SERVICES if spec.name in ("evidence", "coaching", "issuer", "verifier"))
TENANT = "bench"
COACH = "coach-1"
STARTUP_SECONDS = 120.0
LADDER_POLL_SECONDS = 0.02
HR_ACCEPTED = "org.rexvet.hr.event.accepted.v1"
ELIGIBLE = "org.rexvet.badge.eligible.v1"
ISSUED = "org.rexvet.badge.issued.v1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Badge:
    """One person's timeline, in wall-clock seconds (the services stamp their events with the same clock)."""

    staff_id: str
    sent: float = 0.0
    answered: float = 0.0
    receipt: float = 0.0  # hr.event.accepted's time: evidence stored the push with its event in the outbox
    hr_seen: float = 0.0  # the observer got hr.event.accepted from the bus: the relay had published it
    eligible: float = 0.0  # badge.eligible's time: coaching stored the eligibility
    stored: float = 0.0  # badge.issued's time: the issuer stored the credential
    issued_seen: float = 0.0
    ladder: float = 0.0  # coaching's API first showed the rung held


@dataclass
class Run:
    badges: dict[str, Badge] = field(default_factory=dict)
    issued: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    prep_events: int = 0  # coaching.v1 events of the preparation seen by the observer
    waiting: int = 0  # badges of the current phase not on the ladder yet
    all_on_ladder: asyncio.Event = field(default_factory=asyncio.Event)


def environment(kind: str, data_dir: Path, run_id: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("REXVET_")}
    for name, value in os.environ.items():  # the shared servers' settings (infra.sh env) are kept
        if name.startswith(("REXVET_KAFKA_", "REXVET_MONGO_", "REXVET_S3_")):
            env[name] = value
    ports = {spec.name: free_port() for spec in SERVICES}
    env.update({f"REXVET_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(
        {
            "REXVET_DATA_DIR": str(data_dir),
            "REXVET_AUTH_ISSUER": f"http://127.0.0.1:{ports['issuer']}",
            "REXVET_LOG_LEVEL": "WARNING",
            "REXVET_LOG_FORMAT": "text",
            # Longer than the bench's pool keeps idle connections (20 s): the services never close one while the
            # bench sends a request on it (the header timeout too runs while a connection is idle between requests).
            "REXVET_HTTP_KEEP_ALIVE_SECONDS": "60",
            "REXVET_HTTP_HEADER_TIMEOUT_SECONDS": "60",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
    )
    if kind == "kafka":
        missing = [
            v for v in ("REXVET_KAFKA_BOOTSTRAP_SERVERS", "REXVET_MONGO_URL", "REXVET_S3_ENDPOINT") if v not in env
        ]
        if missing:
            raise SystemExit(f'--backend kafka needs {", ".join(missing)}: eval "$(bash scripts/infra/infra.sh env)"')
        env.update(
            {
                "REXVET_BUS": "kafka",
                "REXVET_DOCUMENTS": "mongo",
                "REXVET_BLOBS": "s3",
                # This run's own topics, groups, databases and buckets on the shared servers.
                "REXVET_KAFKA_NAMESPACE": f"bench-{run_id}.",
                "REXVET_MONGO_DATABASE_PREFIX": f"rexvet_bench_{run_id}_",
                "REXVET_S3_BUCKET_PREFIX": f"bench-{run_id}-",
            }
        )
    return env


@contextlib.contextmanager
def patched_environ(env: dict[str, str]) -> Iterator[None]:
    """The services' settings loaders read os.environ: the bench's own bus client and tokens use the same values."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Processes:
    """The services as `make run` starts them, each in its own process group, output to one log file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.env[f'REXVET_{name.upper()}_PORT']}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            for spec in SERVICES:
                command = [sys.executable, "-m", "rexvet_common.serve", spec.app, "--watch-parent"]
                command += ["--port", self.env[f"REXVET_{spec.name.upper()}_PORT"]]
                self.procs[spec.name] = subprocess.Popen(
                    command, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                )

    async def wait_healthy(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        pending = {spec.name for spec in SERVICES}
        while pending:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise SystemExit(f"{name} exited ({proc.returncode}):\n{self.log.read_text()[-4000:]}")
            for name in list(pending):
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(self.url(name) + "/readyz", timeout=2.0)).status_code == 200:
                        pending.discard(name)
            if time.monotonic() > deadline:
                raise SystemExit(f"not ready after {STARTUP_SECONDS:g}s: {pending}\n{self.log.read_text()[-4000:]}")
            await asyncio.sleep(0.3)

    def stop(self) -> None:
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


class Tokens:
    def __init__(self) -> None:
        settings = load_issuer_settings()
        self._key = SigningKeyRing(settings.token_keys_path).ensure(allow_create=False)
        self._issuer = settings.platform.auth_issuer
        self._audience = settings.platform.auth_audience
        self._cache: dict[str, dict[str, str]] = {}

    def _mint(self, sub: str, roles: list[str], scopes: list[str]) -> dict[str, str]:
        token = mint_access_token(
            self._key,
            issuer=self._issuer,
            audience=self._audience,
            sub=sub,
            tenant=TENANT,
            roles=roles,
            scopes=scopes,
            ttl_seconds=3600,
            development=True,
        )
        return {"Authorization": f"Bearer {token}"}

    def staff(self, staff_id: str) -> dict[str, str]:
        if staff_id not in self._cache:
            self._cache[staff_id] = self._mint(staff_id, ["staff"], ["coaching:read", "coaching:write"])
        return self._cache[staff_id]

    def coach(self) -> dict[str, str]:
        return self._mint(COACH, ["coach"], ["coaching:read", "coaching:write"])

    def hr(self) -> dict[str, str]:
        return self._mint("hris", ["hr-system"], ["hr:write"])


def checked(response: httpx.Response, *expected: int) -> httpx.Response:
    if response.status_code not in expected:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")
    return response


async def prepare(client: httpx.AsyncClient, coaching: str, tokens: Tokens, staff: list[str], parallel: int) -> None:
    """Each person enrolled on Abroad / Rookie with every step done: the HR event is all that is missing."""
    coach = tokens.coach()
    limit = asyncio.Semaphore(parallel)

    async def one(staff_id: str) -> None:
        me = tokens.staff(staff_id)
        async with limit:
            body = {"email": f"{staff_id}@bench.example"}
            checked(await client.put(f"{coaching}/v1/me/recipient", json=body, headers=me), 200)
            body = {"badge_id": "abroad-rookie", "coach_id": COACH}
            enrolment = checked(await client.post(f"{coaching}/v1/me/enrolments", json=body, headers=me), 201)
            enrolment_id = enrolment.json()["id"]
            for step in ("learning-goals", "take-part"):
                url = f"{coaching}/v1/me/enrolments/{enrolment_id}/steps/{step}/complete"
                checked(await client.post(url, headers=me), 200)
            url = f"{coaching}/v1/staff/{staff_id}/enrolments/{enrolment_id}/steps/coach-debrief/sign-off"
            checked(await client.post(url, headers=coach), 200)

    await asyncio.gather(*(one(s) for s in staff))


async def wait_no_lag(bus: EventBus, groups: list[str], seconds: float) -> None:
    """Until the services' groups have consumed the preparation's events (so the measurement starts idle)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lags = [sum((await bus.consumer_lag(group)).values()) for group in groups]
        if not any(lags):
            return
        await asyncio.sleep(0.5)
    print(f"  (consumers still lagging after {seconds:g}s; measuring anyway)", file=sys.stderr)


def observer(run: Run) -> Any:
    async def handle(event: CloudEvent) -> None:
        seen = time.time()
        staff_id = event.data.get("staff_id") if isinstance(event.data, dict) else None
        badge = run.badges.get(staff_id) if staff_id else None
        if badge is None:
            if event.type.startswith("org.rexvet.step.") or event.type.startswith("org.rexvet.enrolment."):
                run.prep_events += 1
            return
        at = event.time.timestamp()
        if event.type == HR_ACCEPTED and not badge.hr_seen:
            badge.receipt, badge.hr_seen = at, seen
        elif event.type == ELIGIBLE and not badge.eligible:
            badge.eligible = at
        elif event.type == ISSUED and not badge.stored:
            badge.stored, badge.issued_seen = at, seen
            run.issued.put_nowait(badge.staff_id)

    return handle


async def watch_ladders(client: httpx.AsyncClient, coaching: str, tokens: Tokens, run: Run, parallel: int) -> None:
    """Once a person's badge.issued is out, poll their ladder until the rung shows as held."""
    limit = asyncio.Semaphore(parallel)

    async def one(staff_id: str) -> None:
        badge = run.badges[staff_id]
        async with limit:
            while True:
                try:
                    response = await client.get(f"{coaching}/v1/me/ladder", headers=tokens.staff(staff_id))
                except httpx.TransportError:
                    await asyncio.sleep(LADDER_POLL_SECONDS)
                    continue  # a GET: tried again
                if response.status_code == 200:
                    directions = response.json()["directions"]
                    abroad = next(d for d in directions if d["direction"]["id"] == "abroad")
                    if abroad["level_held"] is not None:
                        badge.ladder = time.time()
                        run.waiting -= 1
                        if not run.waiting:
                            run.all_on_ladder.set()
                        return
                await asyncio.sleep(LADDER_POLL_SECONDS)

    tasks: set[asyncio.Task[None]] = set()
    try:
        while True:
            staff_id = await run.issued.get()
            task = asyncio.create_task(one(staff_id))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    finally:
        for task in tasks:
            task.cancel()


async def push_all(
    client: httpx.AsyncClient,
    evidence: str,
    hr: dict[str, str],
    run: Run,
    staff: list[str],
    rate: float | None,
    parallel: int,
) -> None:
    """Burst (rate None): everything at once, `parallel` in flight; paced: one push every 1/rate s."""
    limit = asyncio.Semaphore(parallel)
    start = time.monotonic()

    async def one(index: int, staff_id: str) -> None:
        if rate is not None:
            await asyncio.sleep(max(0.0, start + index / rate - time.monotonic()))
        badge = run.badges[staff_id]
        async with limit:
            body = {
                "id": f"HR-{staff_id}",
                "type": "mobility.completed",
                "staff_id": staff_id,
                "occurred_at": datetime.now(UTC).isoformat(),
                "fields": {"duration_days": 12, "host": "Tallinn VET school"},
            }
            badge.sent = time.time()
            try:
                checked(await client.post(f"{evidence}/v1/hr/events", json=body, headers=hr), 201)
            except httpx.TransportError:
                # A push is idempotent by its HR id: the retry is answered 201, or 200 if the first one was stored.
                checked(await client.post(f"{evidence}/v1/hr/events", json=body, headers=hr), 200, 201)
            badge.answered = time.time()

    await asyncio.gather(*(one(i, s) for i, s in enumerate(staff)))


def quantiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p99": float("nan")}
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {"p50": round(cut[49] * 1000, 1), "p99": round(cut[98] * 1000, 1)}


def summarise(kind: str, phase: str, rate: float | None, badges: list[Badge]) -> dict[str, Any]:
    first = min(b.sent for b in badges)
    stored = [b for b in badges if b.stored]
    laddered = [b for b in badges if b.ladder]

    def span(pairs: list[tuple[float, float]]) -> dict[str, float]:
        return quantiles([end - begin for begin, end in pairs if begin and end])

    return {
        "backend": kind,
        "phase": phase,
        "rate": rate,
        "badges": len(badges),
        "stored": len(stored),
        "on_ladder": len(laddered),
        "stored_per_s": round(len(stored) / (max(b.stored for b in stored) - first), 1) if stored else 0.0,
        "ladder_per_s": round(len(laddered) / (max(b.ladder for b in laddered) - first), 1) if laddered else 0.0,
        "ms": {
            "push_to_stored": span([(b.sent, b.stored) for b in badges]),
            "push_to_ladder": span([(b.sent, b.ladder) for b in badges]),
            # where the time goes, stage by stage
            "push_answered": span([(b.sent, b.answered) for b in badges]),
            "receipt_to_relayed": span([(b.receipt, b.hr_seen) for b in badges]),
            "receipt_to_eligible": span([(b.receipt, b.eligible) for b in badges]),
            "eligible_to_stored": span([(b.eligible, b.stored) for b in badges]),
            "stored_to_ladder": span([(b.stored, b.ladder) for b in badges]),
        },
    }


async def phase(
    kind: str,
    name: str,
    rate: float | None,
    staff: list[str],
    client: httpx.AsyncClient,
    procs: Processes,
    tokens: Tokens,
    run: Run,
    args: argparse.Namespace,
) -> dict[str, Any]:
    run.badges.update({s: Badge(s) for s in staff})
    run.waiting = len(staff)
    run.all_on_ladder.clear()
    watcher = asyncio.create_task(watch_ladders(client, procs.url("coaching"), tokens, run, args.concurrency))
    try:
        await push_all(client, procs.url("evidence"), tokens.hr(), run, staff, rate, args.concurrency)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(run.all_on_ladder.wait(), timeout=args.timeout)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    return summarise(kind, name, rate, [run.badges[s] for s in staff])


async def bench(kind: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    run_id = uuid.uuid4().hex[:8]
    data_dir = Path(tempfile.mkdtemp(prefix=f"rexvet-pipeline-{kind}-"))
    env = environment(kind, data_dir, run_id)
    procs = Processes(env, data_dir / "services.log")
    burst_staff = [f"b{run_id}-{i:05d}" for i in range(args.staff)]
    paced_staff = [f"p{run_id}-{i:05d}" for i in range(args.staff)]
    rate = args.embedded_rate if kind == "embedded" else args.kafka_rate
    results: list[dict[str, Any]] = []
    pool = args.concurrency * 2 + 8
    limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=20.0)
    with patched_environ(env):
        procs.start()
        run = Run()
        bus: EventBus | None = None
        try:
            async with httpx.AsyncClient(trust_env=False, timeout=60.0, limits=limits) as client:
                await procs.wait_healthy(client)
                tokens = Tokens()
                bus = build_event_bus(load_coaching_settings())
                bus.subscribe_broadcast([topics.HR, topics.COACHING, topics.ISSUER], "bench-pipeline", observer(run))
                await bus.start()
                began = time.monotonic()
                await prepare(client, procs.url("coaching"), tokens, burst_staff + paced_staff, args.concurrency)
                print(f"  {kind}: {2 * args.staff} staff prepared in {time.monotonic() - began:.0f}s", file=sys.stderr)
                for name, staff, pace in (("burst", burst_staff, None), ("paced", paced_staff, rate)):
                    await wait_no_lag(bus, ["coaching", "issuer"], 300)
                    result = await phase(kind, name, pace, staff, client, procs, tokens, run, args)
                    print(json.dumps(result), flush=True)  # as it comes: a long run's figures survive an abort
                    results.append(result)
        finally:
            if bus is not None:
                await bus.close()
            procs.stop()
            if kind == "kafka":
                drop_databases(env, run_id)
            if not args.keep:
                shutil.rmtree(data_dir, ignore_errors=True)
            else:
                print(f"  (kept {data_dir})", file=sys.stderr)
    return results


def drop_databases(env: dict[str, str], run_id: str) -> None:
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(env["REXVET_MONGO_URL"])
    with client:
        for name in client.list_database_names():
            if name.startswith(f"rexvet_bench_{run_id}_"):
                client.drop_database(name)


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| backend | phase | badges | stored/s | ladder/s | push->stored p50/p99 ms | push->ladder p50/p99 ms "
        "| answered | receipt->relayed | receipt->eligible | eligible->stored | stored->ladder |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ms = r["ms"]

        def pair(key: str, ms: dict[str, dict[str, float]] = ms) -> str:
            return f"{ms[key]['p50']:g} / {ms[key]['p99']:g}"

        phase_name = r["phase"] + (f" {r['rate']:g}/s" if r["rate"] else "")
        lines.append(
            f"| {r['backend']} | {phase_name} | {r['on_ladder']}/{r['badges']} | {r['stored_per_s']:g} "
            f"| {r['ladder_per_s']:g} | {pair('push_to_stored')} | {pair('push_to_ladder')} | {pair('push_answered')} "
            f"| {pair('receipt_to_relayed')} | {pair('receipt_to_eligible')} | {pair('eligible_to_stored')} "
            f"| {pair('stored_to_ladder')} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=("embedded", "kafka"))
    parser.add_argument("--staff", type=int, default=1000, help="badges per phase (default 1,000)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests the pusher keeps in flight")
    parser.add_argument("--embedded-rate", type=float, default=100.0, help="paced pushes/s on the embedded backend")
    parser.add_argument("--kafka-rate", type=float, default=50.0, help="paced pushes/s on Kafka + FerretDB")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a phase may take after its last push")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (services.log)")
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    for kind in args.backend or ["embedded"]:
        results += asyncio.run(bench(kind, args))
    print(table(results))
    by = {(r["backend"], r["phase"]): r for r in results}
    if ("embedded", "burst") in by and ("kafka", "burst") in by and by["embedded", "burst"]["ladder_per_s"]:
        ratio = by["kafka", "burst"]["ladder_per_s"] / by["embedded", "burst"]["ladder_per_s"]
        print(f"Kafka + FerretDB burst throughput / embedded: {ratio:.2f}")
    incomplete = [r for r in results if r["on_ladder"] < r["badges"]]
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
