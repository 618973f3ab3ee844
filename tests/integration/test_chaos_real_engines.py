"""Chaos on Kafka + FerretDB 2 (PostgreSQL with DocumentDB) + S3: the four services as processes, SIGKILLed at random
while staff are prepared through the API and the HR system pushes their events with duplicates, and in the middle one
broker restart and one database restart (the PostgreSQL under FerretDB, which answers errors meanwhile). Exactly one
credential per person, the right ladder, every accepted push reflected, nothing dead-lettered.

The servers are the test's own (scripts/infra on free ports with their own run directory), never the shared ones:
restarting those would break everyone else's tests. The seed is printed; `REXVET_CHAOS_SEED=<seed>` replays a run's
plan. The large run is bench/chaos."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from real_engine_helpers import dedicated_infra

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))  # the drill, shared with the embedded test

from chaos_drill import DrillPlan, run_drill, seed_from, service_processes

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.timeout(900)]

STAFF = 30


def test_no_badge_is_lost_or_doubled_through_kills_a_broker_restart_and_a_database_restart(tmp_path: Path) -> None:
    plan = DrillPlan(staff=STAFF, seed=seed_from(os.environ.get("REXVET_CHAOS_SEED")))
    with (
        dedicated_infra(tmp_path / "infra") as servers,
        service_processes(tmp_path / "var", tmp_path / "logs", backend=servers.settings) as services,
    ):
        faults = {
            "broker restart": lambda: servers.restart("kafka"),
            "database restart": servers.restart_postgres,
        }
        result = asyncio.run(run_drill(plan, services, faults))
        print(result.report())
        assert not result.problems(), f"{result.report()}\n{result.problems()}\n{services.log_tail()}"
    assert [name for name, _ in result.tally.faults] == sorted(faults)
    assert sum(result.tally.kills.values()) >= 5, result.report()  # the drill did kill while events flowed
