"""The README is the front door: its configuration reference and its commands must match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rexvet_cli.config_reference import reference_markdown

pytestmark = pytest.mark.unit


def _readme(repo_root: Path) -> str:
    return (repo_root / "README.md").read_text(encoding="utf-8")


def test_the_configuration_reference_is_current(repo_root: Path) -> None:
    readme = _readme(repo_root)
    block = readme.split("<!-- config-reference:start -->", 1)[1].split("<!-- config-reference:end -->", 1)[0]
    assert block.strip() == reference_markdown().strip(), "README is stale: run `make readme`"


def test_ci_runs_exactly_the_readme_test_command(repo_root: Path) -> None:
    readme = _readme(repo_root)
    assert re.search(r"^make test\b", readme, re.M), "the README must name `make test`"
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert [line for line in ci.splitlines() if line.startswith("exec ")] == ["exec make test"]


def test_every_make_target_the_readme_names_exists(repo_root: Path) -> None:
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)`", _readme(repo_root)))
    assert named, "the README names no make target"
    assert named <= targets, f"README names make targets that do not exist: {sorted(named - targets)}"
