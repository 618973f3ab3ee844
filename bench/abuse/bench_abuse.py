"""Abuse mix against a real verifier process: memory, /healthz latency and the legitimate verification rate.

One run, two phases of the same legitimate load (closed loop: `--legit` clients verifying a signed credential whose
status list is served here): first alone, then with the abuse mix of issue 15 beside it:
- self-signed status lists that decode to 16 MiB, a new URL for every request;
- credentials with 200 credentialStatus entries naming slow servers, and with three (within the entry limit);
- PNGs with 400,000 empty chunks;
- 124 KB credentials with 6,200 blank nodes (their bytes changed every time: no cache can answer them).
Every abusive request comes from its own address (X-Forwarded-For behind a trusted proxy, as from many hosts), so
the per-client rate limit cannot be what keeps the work bounded; legitimate clients rotate over their own addresses.
Printed: RSS of the verifier (and of its work pool), /healthz p50/p99 sampled every 50 ms from a process of its own
(`--probe thread`: from a thread of this one, which shares its GIL with the abusive clients and the attacker's
servers), legitimate verifications per second, and the ratio abuse/baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import png

from rexvet_credentials.baking import bake_png
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.bitstring import Bitstring
from rexvet_credentials.status.list_credential import build_list_credential, status_entry

LEGIT_KEY = Ed25519SigningKey.generate()
ATTACKER = Ed25519SigningKey.generate()
SIXTEEN_MIB_ENTRIES = 16 * 1024 * 1024 * 8
LIST_CREDENTIALS = 400  # distinct self-signed 16 MiB lists (each named by its own credential)
BLANK_VARIANTS = 200


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def credential(key: Ed25519SigningKey, **extra: Any) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{random.getrandbits(64):016x}-0000-4000-8000-000000000000",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.controller, "type": ["Profile"], "name": "Bench issuer"},
        "validFrom": "2026-01-15T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:learner",
            "achievement": {
                "id": "https://badges.example/a",
                "type": ["Achievement"],
                "name": "Bench",
                "description": "A badge of the abuse benchmark.",
                "criteria": {"narrative": "n"},
            },
        },
        **extra,
    }


def signed(document: dict[str, Any], key: Ed25519SigningKey) -> dict[str, Any]:
    return sign_credential(document, key, created="2026-01-15T09:00:00Z")


def list_credential(url: str, key: Ed25519SigningKey, encoded: str) -> dict[str, Any]:
    unsigned = build_list_credential(
        list_url=url, issuer=key.controller, purpose="revocation", valid_from=datetime(2026, 1, 1, tzinfo=UTC)
    )
    unsigned["credentialSubject"]["encodedList"] = encoded
    return signed(unsigned, key)


@dataclass
class Documents:
    """What the bench's HTTP server serves (the legitimate issuer's list, the attacker's lists and slow servers)."""

    routes: dict[str, bytes] = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)


def serve(documents: Documents) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/slow/"):
                documents.release.wait(30)  # the slow server: 30 s
            body = documents.routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body or b"")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def png_with_empty_chunks(count: int, baked: str) -> bytes:
    out = io.BytesIO()
    png.Writer(width=2, height=2, greyscale=True).write(out, [[0, 255], [255, 0]])
    chunks = list(png.Reader(bytes=bake_png(out.getvalue(), baked)).chunks())
    padded = io.BytesIO()
    png.write_chunks(padded, [chunks[0], *[(b"zzZz", b"")] * count, *chunks[1:]])
    return padded.getvalue()


class Verifier:
    """A verifier process (uvicorn), as `make run` starts it, on its own data directory."""

    def __init__(self, data_dir: Path, env: dict[str, str], log: Path, profile: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {
            **os.environ,
            "REXVET_DATA_DIR": str(data_dir),
            "REXVET_AUTH_ISSUER": "http://127.0.0.1:9",  # the verifier checks no token
            "REXVET_LOG_LEVEL": "WARNING",
            "REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH": "true",  # the bench's servers are on 127.0.0.1
            "REXVET_VERIFIER_TRUSTED_PROXIES": "127.0.0.1",
            **env,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                *(["-m", "cProfile", "-o", profile] if profile else []),
                "-m",
                "uvicorn",
                "rexvet_verifier.app:app",
                "--port",
                str(self.port),
                "--no-access-log",
            ],
            env=environment,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    async def ready(self) -> None:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.url}/healthz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise RuntimeError("the verifier did not start")

    def rss_mib(self) -> tuple[float, float]:
        """(the server process, its work-pool processes) resident memory in MiB."""
        own = _rss_kib(self.process.pid)
        children = sum(_rss_kib(pid) for pid in _descendants(self.process.pid))
        return own / 1024, children / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _rss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _descendants(pid: int) -> Iterator[int]:
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                yield int(child)
                yield from _descendants(int(child))


@dataclass
class Phase:
    name: str
    legit_ok: int = 0
    legit_other: Counter[int] = field(default_factory=Counter)
    abuse_answers: Counter[str] = field(default_factory=Counter)
    health_ms: list[float] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)
    seconds: float = 0.0


class Bench:
    def __init__(
        self, verifier: Verifier, base: str, documents: Documents, seconds: float, legit: int, probe: str = "process"
    ) -> None:
        self.verifier = verifier
        self.probe = probe
        self.base = base
        self.documents = documents
        self.seconds = seconds
        self.legit = legit
        self.addresses = itertools.count(1)
        legit_list = f"{base}/legit/list"
        documents.routes["/legit/list"] = json.dumps(
            list_credential(legit_list, LEGIT_KEY, Bitstring().encode())
        ).encode()
        self.legit_credential = signed(
            credential(LEGIT_KEY, credentialStatus=status_entry(legit_list, 3, "revocation")), LEGIT_KEY
        )
        # Abuse material, built before the phases: the load generator's own loop must not be busy signing while it
        # measures. Every list has its own URL; every blank-node credential its own bytes.
        big_encoded = Bitstring(SIXTEEN_MIB_ENTRIES).encode()
        self.list_bodies: list[bytes] = []
        for n in range(LIST_CREDENTIALS):
            path = f"/lists/{n}"
            url = f"{base}{path}"
            documents.routes[path] = json.dumps(list_credential(url, ATTACKER, big_encoded)).encode()
            body = signed(credential(ATTACKER, credentialStatus=status_entry(url, 1, "revocation")), ATTACKER)
            self.list_bodies.append(json.dumps(body).encode())
        self.slow_bodies = {
            kind: [json.dumps(signed(self._slow_entries(count), ATTACKER)).encode() for _ in range(30)]
            for kind, count in (("entries", 200), ("slow", 3))
        }
        blank = signed(credential(ATTACKER, evidence=[{"name": str(i)} for i in range(6200)]), ATTACKER)
        self.blank_bodies = []
        for n in range(BLANK_VARIANTS):
            blank["evidence"][0]["name"] = f"v{n}"  # new bytes: prepared afresh every time (signature then fails)
            self.blank_bodies.append(json.dumps(blank).encode())
        self.chunky_png = png_with_empty_chunks(400_000, json.dumps(signed(credential(ATTACKER), ATTACKER)))
        self.picks: Counter[str] = Counter()
        # how many of each kind at once: the mix
        self.kinds = {"lists": 24, "entries": 4, "slow": 3, "png": 8, "blank": 20}

    def _slow_entries(self, count: int) -> dict[str, Any]:
        entries = [status_entry(f"{self.base}/slow/{random.getrandbits(32)}", 1, "revocation") for _ in range(count)]
        return credential(ATTACKER, credentialStatus=entries)

    def _next(self, kind: str, bodies: list[bytes]) -> bytes:
        self.picks[kind] += 1
        return bodies[self.picks[kind] % len(bodies)]

    def _forwarded(self, prefix: str) -> dict[str, str]:
        n = next(self.addresses)
        return {"X-Forwarded-For": f"{prefix}.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}

    async def run_phase(self, name: str, abuse: bool) -> Phase:
        phase = Phase(name)
        stop = asyncio.Event()
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        async with httpx.AsyncClient(base_url=self.verifier.url, timeout=120, limits=limits) as client:
            tasks = [asyncio.create_task(self._legit(client, phase, stop)) for _ in range(self.legit)]
            tasks.append(asyncio.create_task(self._health(phase, stop)))
            tasks.append(asyncio.create_task(self._memory(phase, stop)))
            if abuse:
                for kind, concurrency in self.kinds.items():
                    tasks += [asyncio.create_task(self._abuse(client, kind, phase, stop)) for _ in range(concurrency)]
            started = time.perf_counter()
            await asyncio.sleep(self.seconds)
            stop.set()
            phase.seconds = time.perf_counter() - started
            self.documents.release.set()  # let slow requests end
            await asyncio.gather(*tasks, return_exceptions=True)
            self.documents.release.clear()
        return phase

    async def _legit(self, client: httpx.AsyncClient, phase: Phase, stop: asyncio.Event) -> None:
        while not stop.is_set():
            response = await client.post("/v1/verify", json=self.legit_credential, headers=self._forwarded("10"))
            if response.status_code == 200 and response.json()["outcome"] == "verified":
                phase.legit_ok += 1
            else:
                phase.legit_other[response.status_code] += 1
                if sum(phase.legit_other.values()) == 1:
                    print("a legitimate verification was not verified:", response.text[:2000], file=sys.stderr)

    async def _abuse(self, client: httpx.AsyncClient, kind: str, phase: Phase, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                response = await self._abusive_request(client, kind)
            except httpx.HTTPError as exc:
                phase.abuse_answers[f"{kind}:{type(exc).__name__}"] += 1
                continue
            code = ""
            if response.status_code == 200:
                status = {c["id"]: c for c in response.json()["checks"]}.get("status", {})
                code = status.get("code", "")
            else:
                code = response.json().get("code", "")
            phase.abuse_answers[f"{kind}:{response.status_code}:{code}"] += 1

    async def _abusive_request(self, client: httpx.AsyncClient, kind: str) -> httpx.Response:
        headers = {**self._forwarded("172"), "Content-Type": "application/json"}
        if kind == "lists":
            body = self._next(kind, self.list_bodies)
        elif kind in self.slow_bodies:
            body = self._next(kind, self.slow_bodies[kind])
        elif kind == "png":
            body, headers["Content-Type"] = self.chunky_png, "image/png"
        else:
            body = self._next(kind, self.blank_bodies)
        return await client.post("/v1/verify", content=body, headers=headers)

    async def _health(self, phase: Phase, stop: asyncio.Event) -> None:
        if self.probe == "process":
            await self._health_from_a_process(phase, stop)
            return
        done = threading.Event()

        def sample() -> None:
            with httpx.Client(base_url=self.verifier.url, timeout=60) as client:
                while not done.is_set():
                    started = time.perf_counter()
                    client.get("/healthz")
                    phase.health_ms.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        await stop.wait()
        done.set()
        await asyncio.to_thread(sampler.join)

    async def _health_from_a_process(self, phase: Phase, stop: asyncio.Event) -> None:
        probe = await asyncio.create_subprocess_exec(
            sys.executable,
            str(Path(__file__).with_name("health_probe.py")),
            self.verifier.url,
            "0.05",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert probe.stdin is not None and probe.stdout is not None
        await stop.wait()
        probe.stdin.close()
        output, _ = await probe.communicate()
        phase.health_ms.extend(float(line) for line in output.decode().split())

    async def _memory(self, phase: Phase, stop: asyncio.Event) -> None:
        while not stop.is_set():
            phase.rss.append(self.verifier.rss_mib())
            await asyncio.sleep(0.5)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(baseline: Phase, abused: Phase) -> None:
    print(f"{'':28}{'baseline':>14}{'with abuse':>14}{'ratio':>9}")
    rates = [p.legit_ok / p.seconds for p in (baseline, abused)]
    print(f"{'legit verifications/s':28}{rates[0]:14.1f}{rates[1]:14.1f}{rates[1] / rates[0]:9.2f}")
    for label, q in (("/healthz p50 ms", 0.5), ("/healthz p99 ms", 0.99)):
        values = [percentile(p.health_ms, q) for p in (baseline, abused)]
        print(f"{label:28}{values[0]:14.1f}{values[1]:14.1f}{values[1] / values[0]:9.2f}")
    print(f"{'/healthz max ms':28}{max(baseline.health_ms):14.1f}{max(abused.health_ms):14.1f}")
    for label, index in (("RSS server max MiB", 0), ("RSS work pool max MiB", 1)):
        values = [max((r[index] for r in p.rss), default=0.0) for p in (baseline, abused)]
        print(f"{label:28}{values[0]:14.1f}{values[1]:14.1f}")
    print(f"{'RSS server at end MiB':28}{baseline.rss[-1][0]:14.1f}{abused.rss[-1][0]:14.1f}")
    print(f"legit answers other than verified: baseline {dict(baseline.legit_other)}, abuse {dict(abused.legit_other)}")
    print("abusive requests answered (kind:status:code):")
    for key, count in sorted(abused.abuse_answers.items()):
        print(f"  {key:60}{count:6}")
    print(
        f"/healthz samples: baseline {len(baseline.health_ms)}, abuse {len(abused.health_ms)}; "
        f"median of abuse phase {statistics.median(abused.health_ms):.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--legit", type=int, default=4, help="legitimate clients (closed loop)")
    parser.add_argument("--pool", choices=("process", "thread"), default="process", help="the verifier's work pool")
    parser.add_argument("--profile", help="write a cProfile of the verifier's main thread here")
    parser.add_argument("--only", help="comma-separated abuse kinds (lists, entries, slow, png, blank)")
    parser.add_argument(
        "--probe",
        choices=("thread", "process"),
        default="process",
        help="sample /healthz from a process of its own (as a kubelet, from outside) or from a thread of the bench",
    )
    args = parser.parse_args()
    documents = Documents()
    server, base = serve(documents)
    with tempfile.TemporaryDirectory(prefix="rexvet-abuse-") as data_dir:
        log = Path(data_dir) / "verifier.log"
        verifier = Verifier(Path(data_dir), {"REXVET_VERIFIER_CPU_POOL": args.pool}, log, args.profile)
        try:
            await verifier.ready()
            bench = Bench(verifier, base, documents, args.seconds, args.legit, args.probe)
            if args.only:
                bench.kinds = {kind: n for kind, n in bench.kinds.items() if kind in args.only.split(",")}
            print(
                f"verifier pid {verifier.process.pid}, pool {args.pool}, {args.seconds:g} s per phase, "
                f"{args.legit} legitimate clients, /healthz probed from a {args.probe}"
            )
            baseline = await bench.run_phase("baseline", abuse=False)
            abused = await bench.run_phase("abuse", abuse=True)
            report(baseline, abused)
        finally:
            verifier.stop()
            server.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
