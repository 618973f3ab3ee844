"""Benchmark: the chaos drill at scale (tests/e2e/chaos_drill.py; the tests run it with 30 staff).

The four services as processes; N staff prepared through the API while the HR system pushes their events with
duplicates; a random service SIGKILLed every few seconds and started again; on Kafka + FerretDB + S3 also one broker
restart and one database restart, on servers of this run's own (scripts/infra on free ports, never the shared ones).
Prints one JSON line per backend: kills, the faults and how long each took, time to quiescence (from the last fault
until every credential, ladder and directory entry is right and no consumer group lags), lost and duplicated
credentials, pushes not reflected, dead letters, and how often clients had to retry. Exits 1 when any of those
counts is not 0.

    uv run --frozen python bench/chaos/bench_chaos.py --backend embedded --backend kafka --staff 1000 --seed 7

The seed is printed; `--seed` (or REXVET_CHAOS_SEED) replays a run's plan (the machine's timing still varies).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[2] / "tests"
sys.path[:0] = [str(TESTS / "e2e"), str(TESTS / "integration")]  # the drill and the dedicated servers, as tests use

from chaos_drill import DrillPlan, DrillResult, Fault, run_drill, seed_from, service_processes  # noqa: E402
from real_engine_helpers import dedicated_infra  # noqa: E402


@contextlib.contextmanager
def backend(name: str, work: Path) -> Iterator[tuple[dict[str, str], dict[str, Fault]]]:
    """The services' settings for a backend, and the backend faults to inject once each."""
    if name == "embedded":
        yield {}, {}
        return
    with dedicated_infra(work / "infra") as servers:
        yield (
            servers.settings,
            {
                "broker restart": lambda: servers.restart("kafka"),
                "database restart": servers.restart_postgres,  # FerretDB stays up, answering errors meanwhile
                "ferretdb restart": lambda: servers.restart("mongo"),  # FerretDB and its PostgreSQL
            },
        )


def run(name: str, plan: DrillPlan, work: Path) -> DrillResult:
    with backend(name, work) as (settings, faults), service_processes(work / "var", work / "logs", settings) as svcs:
        return asyncio.run(run_drill(plan, svcs, faults, say=lambda line: print(f"[{name}] {line}", flush=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", action="append", choices=["embedded", "kafka"], help="default: both")
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--seed", default=os.environ.get("REXVET_CHAOS_SEED"))
    parser.add_argument("--window", type=float, default=300.0, help="seconds over which staff start")
    parser.add_argument("--concurrency", type=int, default=16, help="staff members prepared at once")
    parser.add_argument("--quiescence", type=float, default=900.0, help="give up waiting after this many seconds")
    args = parser.parse_args()
    seed = seed_from(args.seed)
    plan = DrillPlan(
        staff=args.staff,
        seed=seed,
        window_seconds=args.window,
        concurrency=args.concurrency,
        quiescence_seconds=args.quiescence,
    )
    failed = False
    for name in args.backend or ["embedded", "kafka"]:
        work = Path(tempfile.mkdtemp(prefix=f"rexvet-chaos-{name}-"))
        result = run(name, plan, work)
        print(json.dumps({"backend": name, **result.report()}), flush=True)
        problems = result.problems()
        if problems:
            failed = True
            print(f"[{name}] FAILED, logs in {work / 'logs'}:", *problems[:30], sep="\n  ", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)  # kept only when there is something to look at
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
