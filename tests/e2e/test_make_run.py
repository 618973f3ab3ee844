"""`make run` as a user runs it: four services up, one request through the walking skeleton, Ctrl-C, nothing left."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from make_run import LOOPBACK, make_run, processes_marked, user_environment

pytestmark = pytest.mark.e2e

EFFECT_SECONDS = 60.0


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
