"""`make run` as a user runs it: four services up, one request through the walking skeleton, Ctrl-C, nothing left."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e

# The services are on loopback: whatever proxy the environment names is not in the way.
LOOPBACK = httpx.Client(trust_env=False, timeout=10.0)

SERVICES = ("evidence", "coaching", "issuer", "verifier")
STARTUP_SECONDS = 240.0  # includes `uv sync` on a cold machine
EFFECT_SECONDS = 60.0
STOP_SECONDS = 60.0


def user_environment() -> dict[str, str]:
    """The environment a user's shell would have: no rexvet settings, and no outer make's flags (`make test`)."""
    outer_make = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    return {
        name: value for name, value in os.environ.items() if not name.startswith("REXVET_") and name not in outer_make
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def processes_marked(marker: str) -> list[int]:
    """Every live process whose environment carries the marker this test gave `make run`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if state != "Z" and f"REXVET_E2E_MARKER={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"{what} did not happen within {seconds:g}s; make run's output:\n{log.read_text()[-5000:]}")


def answers(url: str) -> bool:
    try:
        return LOOPBACK.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def test_make_run_serves_the_walking_skeleton_and_stops_on_ctrl_c(repo_root: Path, tmp_path: Path) -> None:
    walk_the_skeleton(repo_root, tmp_path, backends={})


def test_make_run_refuses_a_backend_without_its_settings_and_starts_nothing(repo_root: Path, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    env = user_environment()
    env.update({"REXVET_DATA_DIR": str(tmp_path / "var"), "REXVET_DOCUMENTS": "mongo", "REXVET_E2E_MARKER": marker})
    result = subprocess.run(["make", "run"], cwd=repo_root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "REXVET_MONGO_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert not processes_marked(marker)


def walk_the_skeleton(repo_root: Path, tmp_path: Path, *, backends: dict[str, str]) -> None:
    marker = uuid.uuid4().hex
    ports = {service: free_port() for service in SERVICES}
    env = user_environment()
    env.update({f"REXVET_{service.upper()}_PORT": str(port) for service, port in ports.items()})
    env.update(
        {
            "REXVET_DATA_DIR": str(tmp_path / "var"),
            "REXVET_AUTH_ISSUER": f"http://127.0.0.1:{ports['issuer']}",
            "REXVET_LOG_FORMAT": "text",
            "REXVET_E2E_MARKER": marker,
        }
    )
    env.update(backends)
    urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    log = tmp_path / "make-run.log"
    with log.open("wb") as output:
        # Its own process group, as a terminal gives it: Ctrl-C is SIGINT to the whole group.
        make = subprocess.Popen(
            ["make", "run"], cwd=repo_root, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(lambda: all(answers(url + "/healthz") for url in urls.values()), STARTUP_SECONDS, "four /healthz", log)
        wait_for(lambda: "Press Ctrl-C" in log.read_text(), 30, "the banner", log)
        banner = log.read_text()
        for url in urls.values():
            assert url in banner
        assert "rexvet auth dev-token" in banner

        token = subprocess.run(
            [
                sys.executable,
                "-m",
                "rexvet_cli.main",
                "auth",
                "dev-token",
                "--tenant",
                "omnia",
                "--sub",
                "alice",
                "--roles",
                "staff",
                "--scope",
                "evidence:write",
                "evidence:read",
                "coaching:read",
            ],
            cwd=repo_root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        headers = {"Authorization": f"Bearer {token}"}
        created = LOOPBACK.post(
            urls["evidence"] + "/v1/evidence", json={"title": "Hosted a job-shadowing guest"}, headers=headers
        )
        assert created.status_code == 201, created.text
        evidence_id = created.json()["id"]
        assert LOOPBACK.get(urls["coaching"] + "/v1/staff/alice/evidence").status_code == 401

        def coaching_recorded_it() -> bool:
            response = LOOPBACK.get(urls["coaching"] + "/v1/staff/alice/evidence", headers=headers)
            return response.status_code == 200 and evidence_id in {i["evidence_id"] for i in response.json()["items"]}

        wait_for(coaching_recorded_it, EFFECT_SECONDS, "coaching recording the evidence", log)
        for url in urls.values():
            ready = LOOPBACK.get(url + "/readyz")
            assert ready.status_code == 200, ready.text
        assert processes_marked(marker), "the services should be running under make run"
    finally:
        os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            pytest.fail(f"make run did not stop within {STOP_SECONDS:g}s of SIGINT:\n{log.read_text()[-5000:]}")

    wait_for(lambda: not processes_marked(marker), 10, "every process of make run ending", log)
    assert not any(answers(url + "/healthz") for url in urls.values())
    assert "rexvet: stopped" in log.read_text()
