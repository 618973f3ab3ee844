"""Chaos on the embedded backend (SQLite event log, SQLite documents, local files): the four services as processes,
SIGKILLed at random while staff are prepared through the API and the HR system pushes their events with duplicates.
Exactly one credential per person, the right ladder, every accepted push reflected, nothing dead-lettered.

The seed is printed; `REXVET_CHAOS_SEED=<seed>` replays a run's plan. The large run is bench/chaos."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from chaos_drill import DrillPlan, run_drill, seed_from, service_processes

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

STAFF = 30


def test_no_badge_is_lost_or_doubled_while_services_are_killed_at_random(tmp_path: Path) -> None:
    plan = DrillPlan(staff=STAFF, seed=seed_from(os.environ.get("REXVET_CHAOS_SEED")))
    with service_processes(tmp_path / "var", tmp_path / "logs", backend={}) as services:
        result = asyncio.run(run_drill(plan, services))
        print(result.report())
        assert not result.problems(), f"{result.report()}\n{result.problems()}\n{services.log_tail()}"
    assert sum(result.tally.kills.values()) >= 5, result.report()  # the drill did kill while events flowed
