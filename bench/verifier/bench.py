"""`POST /v1/verify` under HTTP load against the HTTP floor, alternating in one invocation (issue 14, item 1).

The verifier runs as `make run` runs it (`python -m rexvet_common.serve rexvet_verifier.app:app`, embedded backends,
one process); the floor (`floor_app.py`) under the same server with the same settings answers a report of the same
size after reading and parsing the same body. wrk (Debian's) drives both with the same script: distinct signed OB 3.0
credentials in turn, so that none is a cache hit, except in the "cached" row, which sends one credential again and
again (the verifier's re-verify path). Rounds alternate between the two servers so that load from other processes
hits both alike. Printed: requests/s, p50 and p99 per server and concurrency, and the verifier's share of the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "bench" / "credentials"))
from bench import CREATED, realistic_credential  # noqa: E402  (the credential bench's OB 3.0 badge)
from rexvet_credentials.keys import Ed25519SigningKey  # noqa: E402
from rexvet_credentials.sign import sign_credential  # noqa: E402

# Goals of issue 14 at 50 clients: at least half the floor's throughput, p99 under 50 ms.
GOAL_SHARE, GOAL_P99_MS = 0.5, 50.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def distinct_credentials(count: int) -> list[str]:
    """`count` badges, each with its own id and subject, signed under one did:key issuer (resolved without fetching,
    so the bench measures the endpoint, not a DID document server)."""
    key = Ed25519SigningKey.generate()
    lines = []
    for _ in range(count):
        credential = realistic_credential(key.controller)
        credential["id"] = f"urn:uuid:{uuid.uuid4()}"
        credential["credentialSubject"]["identifier"][0]["salt"] = uuid.uuid4().hex[:16]
        lines.append(json.dumps(sign_credential(credential, key, created=CREATED), separators=(",", ":")))
    return lines


@dataclass
class Server:
    name: str
    url: str


@contextmanager
def serve(name: str, app: str, env: dict[str, str], log_dir: Path) -> Iterator[Server]:
    port = free_port()
    log = (log_dir / f"{name}.log").open("wb")
    command = [sys.executable, "-m", "rexvet_common.serve", app, "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start; see {log.name}")
            time.sleep(0.2)
        yield Server(name, url)
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def wrk(server: Server, bodies: Path, clients: int, seconds: int) -> dict[str, Any]:
    threads = min(2, clients)
    command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s"]
    command += ["-s", str(HERE / "bodies.lua"), server.url, "--", str(bodies)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"WRK_RESULT (\{.*\})", output)
    if not found:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    result: dict[str, Any] = json.loads(found.group(1))
    if result["errors"]:
        raise RuntimeError(f"{server.name}: {result['errors']} failed requests at {clients} clients:\n{output}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 50, 200])
    parser.add_argument("--seconds", type=int, default=8, help="length of one round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per server and concurrency, alternating")
    parser.add_argument("--credentials", type=int, default=3000)
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        print("bench/verifier needs wrk (Debian: apt-get install wrk); run.sh installs it", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        lines = distinct_credentials(args.credentials)
        distinct, single = tmp / "distinct.jsonl", tmp / "single.jsonl"
        distinct.write_text("\n".join(lines) + "\n")
        single.write_text(lines[0] + "\n")
        env = {
            **os.environ,
            "REXVET_DATA_DIR": str(tmp / "var"),
            "REXVET_LOG_LEVEL": "WARNING",
            # Every request comes from 127.0.0.1: the per-client limiter stays in the path (it is part of what each
            # request costs) with a rate wrk cannot reach, instead of answering 429 after the first 30.
            "REXVET_VERIFIER_RATE_LIMIT_PER_MINUTE": "100000000",
            "REXVET_VERIFIER_RATE_LIMIT_BURST": "100000000",
        }
        rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
        with serve("verifier", "rexvet_verifier.app:app", env, tmp) as verifier:
            report = httpx.post(
                verifier.url + "/v1/verify", content=lines[0], headers={"content-type": "application/json"}
            )
            if report.status_code != 200 or report.json().get("verified") is not True:
                print(f"the verifier did not verify the bench's credential: {report.text[:2000]}", file=sys.stderr)
                return 1
            (tmp / "report.json").write_text(report.text)
            floor_env = {**env, "REXVET_BENCH_FLOOR_REPORT": str(tmp / "report.json"), "PYTHONPATH": str(HERE)}
            with serve("floor", "floor_app:app", floor_env, tmp) as floor:
                plan = [(str(c), distinct, c) for c in args.clients] + [("50 cached", single, 50)]
                for label, bodies, clients in plan:
                    for server in (verifier, floor):  # warm-up round, not counted
                        wrk(server, bodies, clients, 2)
                    for _ in range(args.rounds):
                        for server in (verifier, floor):
                            rows.setdefault((label, server.name), []).append(wrk(server, bodies, clients, args.seconds))

    print(
        f"POST /v1/verify: {len(lines[0])}-byte OB 3.0 badge (eddsa-rdfc-2022, did:key), {len(lines)} distinct; "
        f"one process each; wrk, {args.rounds} x {args.seconds} s rounds alternating; medians of the rounds"
    )
    print(
        f"{'clients':>10} | {'verifier req/s':>14} {'p50 ms':>7} {'p99 ms':>7} | {'floor req/s':>11} {'p50 ms':>7} "
        f"{'p99 ms':>7} | share of floor"
    )
    for label in [str(c) for c in args.clients] + ["50 cached"]:
        figures = {}
        for name in ("verifier", "floor"):
            runs = rows[(label, name)]
            figures[name] = (
                statistics.median(r["requests"] / r["seconds"] for r in runs),
                statistics.median(r["p50_us"] for r in runs) / 1000,
                statistics.median(r["p99_us"] for r in runs) / 1000,
            )
        (v_rps, v_p50, v_p99), (f_rps, f_p50, f_p99) = figures["verifier"], figures["floor"]
        print(
            f"{label:>10} | {v_rps:14.0f} {v_p50:7.1f} {v_p99:7.1f} | {f_rps:11.0f} {f_p50:7.1f} {f_p99:7.1f} | "
            f"{v_rps / f_rps:6.1%}"
        )
        if label == "50":
            met = v_rps / f_rps >= GOAL_SHARE and v_p99 < GOAL_P99_MS
            print(
                f"{'':>10}   goal at 50 clients: >= {GOAL_SHARE:.0%} of the floor and p99 < {GOAL_P99_MS:g} ms: "
                f"{'met' if met else 'not met'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
