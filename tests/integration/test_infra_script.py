"""scripts/infra/infra.sh's promises that need no server: it stops only what it started, says which toolchain to
install, and refuses unknown server names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

INFRA = Path(__file__).resolve().parents[2] / "scripts" / "infra" / "infra.sh"


def run_infra(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash") or "/bin/bash"
    return subprocess.run([bash, str(INFRA), *args], capture_output=True, text=True, env=env, timeout=120)


def isolated_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An empty cache and run directory of the test's own, so nothing of the real local servers is touched."""
    return {
        **os.environ,
        "REXVET_INFRA_CACHE": str(tmp_path / "cache"),
        "REXVET_INFRA_RUN": str(tmp_path / "run"),
        **extra,
    }


def test_down_never_kills_a_process_it_did_not_start(tmp_path: Path) -> None:
    stranger = subprocess.Popen(["sleep", "60"])  # e.g. a recycled pid now owned by someone else
    try:
        run = tmp_path / "run"
        run.mkdir(parents=True)
        (run / "kafka.pid").write_text(f"{stranger.pid}\n")
        result = run_infra("down", "kafka", env=isolated_env(tmp_path))
        assert result.returncode == 0, result.stderr
        assert "not running" in result.stderr
        assert stranger.poll() is None  # still alive
        assert not (run / "kafka.pid").exists()  # the stale pid file is gone
    finally:
        stranger.kill()
        stranger.wait()


def test_a_missing_toolchain_is_named_with_what_to_install(tmp_path: Path) -> None:
    # A PATH with the basic tools the script needs before its first build step, but neither java nor mvn.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "mkdir", "flock", "sha256sum", "cut", "cat", "sed", "rm", "tr", "grep", "env"):
        found = shutil.which(tool)
        assert found, f"{tool} is needed to run this test"
        (bin_dir / tool).symlink_to(found)
    (bin_dir / "python3").symlink_to(sys.executable)
    result = run_infra("build", "kafka", env=isolated_env(tmp_path, PATH=str(bin_dir)))
    assert result.returncode == 1
    assert "java not found" in result.stderr and "openjdk-17-jre-headless" in result.stderr


def test_an_unknown_server_name_is_refused(tmp_path: Path) -> None:
    for command in ("up", "down", "status"):
        result = run_infra(command, "postgres", env=isolated_env(tmp_path))
        assert result.returncode == 1
        assert "unknown server 'postgres' (expected: kafka, mongo, s3)" in result.stderr
