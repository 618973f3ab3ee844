"""Helpers of the integration tests that restart or kill things around the local servers of scripts/infra."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
INFRA = REPO_ROOT / "scripts" / "infra" / "infra.sh"


def infra(*args: str) -> str:
    """Run infra.sh keeping the servers' data (a restart, not a fresh start); fail the test with its output."""
    env = {**os.environ, "REXVET_INFRA_KEEP_DATA": "1"}
    result = subprocess.run(["bash", str(INFRA), *args], capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"infra.sh {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def require_our_broker() -> None:
    """A test that stops the broker may only stop the one scripts/infra started (not a shared or remote one)."""
    if os.environ.get("REXVET_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092") != "127.0.0.1:9092":
        pytest.skip("REXVET_KAFKA_BOOTSTRAP_SERVERS points at another broker, which this test must not restart")
    status = subprocess.run(["bash", str(INFRA), "status"], capture_output=True, text=True, timeout=60).stdout
    if not any(line.startswith("kafka") and "running, ready" in line for line in status.splitlines()):
        pytest.fail(f"the broker of scripts/infra is not running; start it with `make infra-up`:\n{status}")
