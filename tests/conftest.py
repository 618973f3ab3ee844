"""Fixtures shared by every test tier."""

from __future__ import annotations

from pathlib import Path

import pytest
from tier_summary import TierSummary

# w3c_tier: the W3C suites tier (tests marked w3c), the only tests that may need ../shared at run time.
# pytester: tests of that tier's skip run a pytest inside pytest.
pytest_plugins = ["w3c_tier", "pytester"]

REPO_ROOT = Path(__file__).resolve().parents[1]
# The standards bodies' public test data, copied into the repository (sources and licences: its README) so that a
# fresh clone needs nothing beside it. Only tests read it: runtime code never does.
CONFORMANCE_DIR = REPO_ROOT / "tests" / "conformance"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    if not CONFORMANCE_DIR.is_dir():
        pytest.fail(f"conformance data not found at {CONFORMANCE_DIR}: it is in the repository, restore it with git")
    return CONFORMANCE_DIR


def pytest_configure(config: pytest.Config) -> None:
    """The run ends with a table of the tiers' results (tests/tier_summary.py)."""
    config.pluginmanager.register(TierSummary(), "rexvet-tier-summary")
