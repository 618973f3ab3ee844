"""`./rexvet`, the launcher the README's commands use: it works from any directory without uv on PATH, and says what
to run when uv is not installed yet."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit


def test_without_uv_anywhere_it_says_to_run_make(repo_root: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONUSERBASE": str(tmp_path / "user-base")}
    result = subprocess.run([str(repo_root / "rexvet"), "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 127
    assert result.stdout == ""
    assert "make run" in result.stderr and str(repo_root) in result.stderr


def test_it_finds_uv_in_pips_user_bin_and_runs_from_another_directory(repo_root: Path, tmp_path: Path) -> None:
    uv = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    if not Path(uv).is_file():
        pytest.skip("uv is not installed on this machine (make installs it)")
    user_bin = tmp_path / "user-base" / "bin"
    user_bin.mkdir(parents=True)
    (user_bin / "uv").symlink_to(uv)  # where `pip install --user` puts it: not on PATH
    env = {name: value for name, value in os.environ.items() if not name.startswith(("REXVET_", "VIRTUAL_ENV"))} | {
        "PATH": "/usr/bin:/bin",
        "PYTHONUSERBASE": str(tmp_path / "user-base"),
        "REXVET_DATA_DIR": str(tmp_path / "data"),
    }
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(repo_root / "rexvet"), "auth", "create-client", "--tenant", "omnia", "--roles", "hr-system", "--scope",
         "hr:write", "--json"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["token_endpoint"] == "http://127.0.0.1:8003/oauth/token"
    assert list((tmp_path / "data" / "issuer").glob("documents.sqlite3*"))
    assert list(elsewhere.iterdir()) == []
