"""A fresh clone with nothing beside it passes the unit tier: no test reads outside the repository.

The committed HEAD is cloned into an empty temporary folder, so no `../shared` lies beside the clone, as on a
newcomer's machine. `uv sync --frozen` builds its environment (from uv's cache, as on any machine after the first
sync) and the whole unit tier runs there, every Python process of it with an audit hook (a `sitecustomize` on
PYTHONPATH) that records each file opened in this checkout or in its `../shared`. None may be: the clone must find
everything it reads inside itself, and the conformance data must come from its own tests/conformance/. The W3C suites
tier (tests marked w3c) is the one tier allowed to need `../shared`; its skips are the only skips allowed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from make_run import user_environment

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]

# The unit tier as `make test-fast` runs it. Tests under tests/unit marked interop need the node packages that
# `make test` installs with npm (not data beside the checkout); they run with the interop tier.
UNIT_TIER = ["tests/unit", "-m", "not integration and not e2e and not interop", "-q", "-x", "-p", "no:cacheprovider"]
# Far fewer passing tests than the unit tier holds (740 in December 2026) means the run did not test the clone.
MIN_PASSED = 600

AUDIT = r'''
"""Installed as sitecustomize for the fresh-clone run: records files opened where the clone must not look."""
import atexit, json, os, sys

_FORBIDDEN = tuple(json.loads(os.environ["FRESH_CLONE_FORBIDDEN"]))
_CONFORMANCE = os.path.join(os.environ["FRESH_CLONE_ROOT"], "tests", "conformance") + os.sep
_outside, _data = set(), set()


def _audit(event, args):
    if event != "open" or not args or isinstance(args[0], int):
        return
    try:
        path = os.path.realpath(os.fsdecode(args[0]))
    except (TypeError, ValueError):
        return
    if path.startswith(_CONFORMANCE):
        _data.add(path)
    elif any(path == root or path.startswith(root + os.sep) for root in _FORBIDDEN):
        _outside.add(path)


def _report():
    name = os.path.join(os.environ["FRESH_CLONE_REPORTS"], f"{os.getpid()}.json")
    with open(name, "w") as out:
        json.dump({"argv": sys.argv, "outside": sorted(_outside), "data": sorted(_data)}, out)


sys.addaudithook(_audit)
atexit.register(_report)
'''


def uv() -> str:
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    if not Path(found).is_file():
        pytest.fail("uv is needed to sync the clone: run `make sync` (it installs uv into ~/.local/bin)")
    return found


def clean_environment() -> dict[str, str]:
    """A user's shell: no rexvet settings, and nothing pointing into this checkout's own environment."""
    env = user_environment()
    for name in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"):
        env.pop(name, None)
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_the_unit_tier_passes_in_a_fresh_clone_with_nothing_beside_it(repo_root: Path, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is needed to clone the repository (apt-get install git)")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo_root, capture_output=True, text=True, check=True)
    alone = tmp_path / "empty" / "alone"
    alone.parent.mkdir()
    env = clean_environment()

    cloned = run(["git", "clone", "-q", "--no-checkout", str(repo_root), str(alone)], tmp_path, env, 300)
    assert cloned.returncode == 0, cloned.stderr
    checkout = run(["git", "checkout", "-q", "--detach", head.stdout.strip()], alone, env, 300)
    assert checkout.returncode == 0, checkout.stderr
    assert [p.name for p in alone.parent.iterdir()] == ["alone"], "the clone must have nothing beside it"
    assert not (alone.parent / "shared").exists()

    synced = run([uv(), "sync", "--frozen", "--quiet"], alone, env, 900)
    assert synced.returncode == 0, synced.stdout + synced.stderr

    audit, reports = tmp_path / "audit", tmp_path / "reports"
    audit.mkdir()
    reports.mkdir()
    (audit / "sitecustomize.py").write_text(AUDIT, encoding="utf-8")
    shared = repo_root.parent / "shared"
    forbidden = {str(repo_root.resolve()), str(shared), str(shared.resolve())}
    env |= {
        "PYTHONPATH": str(audit),
        "FRESH_CLONE_FORBIDDEN": json.dumps(sorted(forbidden)),
        "FRESH_CLONE_ROOT": str(alone.resolve()),
        "FRESH_CLONE_REPORTS": str(reports),
    }
    tested = run([uv(), "run", "--frozen", "pytest", *UNIT_TIER], alone, env, 1500)
    output = tested.stdout + tested.stderr
    assert tested.returncode == 0, output[-6000:]

    summary = re.search(r"^=*\s*(\d+) passed\b.*\bin [\d.]+s", tested.stdout, re.M)
    assert summary, f"no pytest summary line in the clone's run: {tested.stdout[-2000:]}"
    assert int(summary[1]) >= MIN_PASSED, f"only {summary[1]} tests passed in the clone: {summary[0]}"
    other_skips = [
        line for line in tested.stdout.splitlines() if line.startswith("SKIPPED") and "W3C suites" not in line
    ]
    assert not other_skips, f"the unit tier skipped tests in a fresh clone: {other_skips}"

    recorded = [json.loads(report.read_text()) for report in reports.glob("*.json")]
    outside = sorted({path for report in recorded for path in report["outside"]})
    assert not outside, f"tests in the clone read outside it, from this checkout or its ../shared: {outside[:20]}"
    data = {path for report in recorded for path in report["data"]}
    expected = {
        str(alone.resolve() / "tests" / "conformance" / line.split("  ", 1)[1])
        for line in (alone / "tests" / "conformance" / "SHA256SUMS").read_text().splitlines()
    }
    # every copied file is read (so the audit saw the run, and the data came from the clone), none from elsewhere
    assert data >= expected, f"conformance files the clone's tests never read: {sorted(expected - data)}"


def test_the_audit_records_a_read_outside_the_clone(tmp_path: Path) -> None:
    """The hook the fresh-clone test trusts does see a forbidden read (a test that could never fail proves nothing)."""
    audit, reports, forbidden = tmp_path / "audit", tmp_path / "reports", tmp_path / "forbidden"
    for folder in (audit, reports, forbidden):
        folder.mkdir()
    (audit / "sitecustomize.py").write_text(AUDIT, encoding="utf-8")
    (forbidden / "data.json").write_text("{}")
    env = clean_environment() | {
        "PYTHONPATH": str(audit),
        "FRESH_CLONE_FORBIDDEN": json.dumps([str(forbidden.resolve())]),
        "FRESH_CLONE_ROOT": str((tmp_path / "clone").resolve()),
        "FRESH_CLONE_REPORTS": str(reports),
    }
    script = f"open({str(forbidden / 'data.json')!r}).read()"
    done = run([sys.executable, "-c", script], tmp_path, env, 60)
    assert done.returncode == 0, done.stderr
    [report] = [json.loads(path.read_text()) for path in reports.glob("*.json")]
    assert report["outside"] == [str((forbidden / "data.json").resolve())]
