"""Fixtures shared by every test tier."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# The standards bodies' public test data lies beside the checkout (CI lays ../shared there too).
# Only tests read it: runtime code never does.
SHARED_DIR = REPO_ROOT.parent / "shared"
CONFORMANCE_DIR = SHARED_DIR / "conformance"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    if not CONFORMANCE_DIR.is_dir():
        pytest.fail(f"conformance data not found at {CONFORMANCE_DIR}: lay ../shared beside the checkout")
    return CONFORMANCE_DIR
