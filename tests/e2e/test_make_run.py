"""`make run` as a user runs it: four services up, one request through the walking skeleton, a crashed service
restarted, Ctrl-C, nothing left."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
from make_run import LOOPBACK, Platform, answers, make_run, processes_marked, user_environment

pytestmark = pytest.mark.e2e

EFFECT_SECONDS = 60.0
RUNNER_ARGS = [b"-m", b"rexvet_cli.platform"]


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


def test_make_run_restarts_a_killed_service_with_backoff_and_says_so(repo_root: Path, tmp_path: Path) -> None:
    with make_run(repo_root, tmp_path) as platform:
        before = {service: service_pid(platform, service) for service in platform.urls}
        first = kill_and_see_it_restarted(platform, "issuer", before["issuer"])
        # A second crash soon after: the delay doubles.
        kill_and_see_it_restarted(platform, "issuer", first, delay="2s")
        after = {service: service_pid(platform, service) for service in platform.urls}
        assert {s: p for s, p in after.items() if s != "issuer"} == {s: p for s, p in before.items() if s != "issuer"}
        assert all(answers(url + "/healthz") for url in platform.urls.values())
    # make_run has sent Ctrl-C and checked that no process of it is left, the restarted service included.


def test_sigterm_to_the_runner_stops_every_service(repo_root: Path, tmp_path: Path) -> None:
    with make_run(repo_root, tmp_path) as platform:
        # The runner's own process (`python -m rexvet_cli.platform`), not the `uv run` that started it.
        [runner] = [pid for pid in processes_marked(platform.marker) if command_line(pid)[1:3] == RUNNER_ARGS]
        os.kill(runner, signal.SIGTERM)
        platform.wait_for(lambda: "rexvet: stopped" in platform.log.read_text(), 60, "the runner stopping")
    # make_run has checked that no process of it is left.


def kill_and_see_it_restarted(platform: Platform, service: str, pid: int, delay: str = "1s") -> int:
    """SIGKILL the service's process; the runner must log the crash and its restart, and a new process answer."""
    os.kill(pid, signal.SIGKILL)
    crash = re.compile(rf"rexvet: {service} \(pid {pid}\) was killed by SIGKILL after \d+s; restarting it in {delay} ")
    platform.wait_for(lambda: crash.search(platform.log.read_text()) is not None, 30, f"the log line for {service}")
    url = platform.urls[service] + "/healthz"
    platform.wait_for(lambda: answers(url), 90, f"{service} answering /healthz again")
    new_pid = service_pid(platform, service)
    assert new_pid != pid
    platform.wait_for(
        lambda: f"rexvet: {service} is answering again (pid {new_pid})" in platform.log.read_text(), 30, "the log line"
    )
    return new_pid


def service_pid(platform: Platform, service: str) -> int:
    """The pid of the one process serving `service` under this make run (its uvicorn, started by the runner)."""
    app = f"rexvet_{service}.app:app".encode()
    serving = [pid for pid in processes_marked(platform.marker) if app in command_line(pid)]
    assert len(serving) == 1, f"{service}: {serving}"
    return serving[0]


def command_line(pid: int) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


def walk_the_skeleton(repo_root: Path, tmp_path: Path, *, backends: dict[str, str]) -> None:
    with make_run(repo_root, tmp_path, backends=backends) as platform:
        urls = platform.urls
        banner = platform.log.read_text()
        for url in urls.values():
            assert url in banner
        assert "rexvet auth dev-token" in banner

        headers = platform.token("omnia", "alice", ["staff"], ["evidence:write", "evidence:read", "coaching:read"])
        created = LOOPBACK.post(
            urls["evidence"] + "/v1/evidence", json={"title": "Hosted a job-shadowing guest"}, headers=headers
        )
        assert created.status_code == 201, created.text
        evidence_id = created.json()["id"]
        assert LOOPBACK.get(urls["coaching"] + "/v1/staff/alice/evidence").status_code == 401

        def coaching_recorded_it() -> bool:
            response = LOOPBACK.get(urls["coaching"] + "/v1/staff/alice/evidence", headers=headers)
            return response.status_code == 200 and evidence_id in {i["evidence_id"] for i in response.json()["items"]}

        platform.wait_for(coaching_recorded_it, EFFECT_SECONDS, "coaching recording the evidence")
        for url in urls.values():
            ready = LOOPBACK.get(url + "/readyz")
            assert ready.status_code == 200, ready.text
        assert processes_marked(platform.marker), "the services should be running under make run"
