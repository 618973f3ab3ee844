"""Interop tests run independent implementations (Digital Bazaar's VC stack, `jose`, vc-bitstring-status-list)
with node. Their packages are pinned by tests/interop/js/package-lock.json and installed with `npm ci`."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.document_loader import load_pinned_context, pinned_context_urls

JS_DIR = Path(__file__).resolve().parent / "js"
NodeRunner = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def node_modules() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("node and npm are needed for the interop tests (apt-get install nodejs npm)")
    modules = JS_DIR / "node_modules"
    if not modules.is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=JS_DIR, check=True, timeout=600)
    return modules


@pytest.fixture(scope="session")
def contexts() -> dict[str, Any]:
    """rexvet's pinned contexts, handed to the JavaScript side so both sides read the very same documents."""
    return {url: load_pinned_context(url) for url in sorted(pinned_context_urls())}


@pytest.fixture(scope="session")
def run_node(node_modules: Path, contexts: dict[str, Any]) -> NodeRunner:
    def run(op: str, documents: dict[str, Any] | None = None, **request: Any) -> dict[str, Any]:
        payload = {"op": op, "documents": {**contexts, **(documents or {})}, **request}
        completed = subprocess.run(
            ["node", "interop.mjs"],
            cwd=JS_DIR,
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if completed.returncode != 0:
            raise AssertionError(f"node {op} failed ({completed.returncode}): {completed.stdout}{completed.stderr}")
        answer: dict[str, Any] = json.loads(completed.stdout)
        return answer

    return run
