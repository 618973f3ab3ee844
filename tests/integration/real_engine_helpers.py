"""Helpers of the integration tests that restart or kill things around the local servers of scripts/infra."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
INFRA = REPO_ROOT / "scripts" / "infra" / "infra.sh"


def infra(*args: str, env: Mapping[str, str] | None = None) -> str:
    """Run infra.sh keeping the servers' data (a restart, not a fresh start); fail the test with its output.
    `env`: the environment it runs in (a dedicated set's ports and run directory), the test's own by default."""
    env = {**(os.environ if env is None else env), "REXVET_INFRA_KEEP_DATA": "1"}
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


# Below the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 by default): a server
# that this set restarts must find its port free again, and a port from bind(0) can be taken meanwhile as the local
# end of any outgoing connection (the services reconnecting in hundreds during the restart), which left PostgreSQL
# unable to listen again after its restart in a chaos run.
_SERVER_PORTS = range(21000, 32000)


def _free_port() -> int:
    for port in random.sample(_SERVER_PORTS, 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_SERVER_PORTS}")


@dataclass(frozen=True)
class DedicatedInfra:
    env: dict[str, str]  # infra.sh's environment for this set (`infra(..., env=infra.env)`)
    settings: dict[str, str]  # the REXVET_* settings that point the services at it and select it

    def restart(self, server: str) -> None:
        """Stop one server (kafka, mongo: FerretDB with its PostgreSQL, s3) and start it again on its data."""
        infra("down", server, env=self.env)
        infra("up", server, env=self.env)

    def restart_postgres(self) -> None:
        """Stop and start the PostgreSQL under FerretDB, which stays up and answers errors meanwhile (as through a
        managed database's restart or failover)."""
        infra("restart-postgres", env=self.env)


@contextlib.contextmanager
def dedicated_infra(run_dir: Path, only: tuple[str, ...] = ()) -> Iterator[DedicatedInfra]:
    """Kafka, FerretDB (with its PostgreSQL) and S3 of the caller's own: free ports and a run directory of its own, so
    that restarting the broker or the database never touches the servers other people's tests use. Everything it
    started is stopped at the end, also when the block fails."""
    # PostgreSQL run as root lives outside the run directory (infra.sh's postgres.sh): a name of ours, removed after.
    postgres_dir = Path("/var/tmp") / f"rexvet-chaos-postgres-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "REXVET_INFRA_RUN": str(run_dir),
        "REXVET_INFRA_POSTGRES_DIR": str(postgres_dir),
        **{
            f"REXVET_INFRA_{name}_PORT": str(_free_port())
            for name in ("KAFKA", "KAFKA_CONTROLLER", "MONGO", "POSTGRES", "S3")
        },
    }
    try:
        infra("up", *only, env=env)  # `only`: some of kafka, mongo, s3; all three by default
        exported = subprocess.run(
            ["bash", str(INFRA), "env", "--use"], capture_output=True, text=True, env=env, check=True, timeout=60
        ).stdout
        settings = dict(line.removeprefix("export ").split("=", 1) for line in exported.splitlines() if "=" in line)
        yield DedicatedInfra(env=env, settings=settings)
    finally:
        subprocess.run(["bash", str(INFRA), "down"], capture_output=True, env=env, timeout=300)
        shutil.rmtree(postgres_dir, ignore_errors=True)
