"""Fixtures shared by every test tier."""

from __future__ import annotations

from pathlib import Path

import pytest
from tier_summary import TierSummary

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


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when any test built an event whose type the AsyncAPI catalogue does not describe."""
    from rexvet_common.events.envelope import UNCATALOGUED_TYPES_SEEN

    if UNCATALOGUED_TYPES_SEEN:
        session.config.get_terminal_writer().line(
            f"event types built but missing from rexvet_common/events/catalogue.py: {sorted(UNCATALOGUED_TYPES_SEEN)}",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    """The run ends with a table of the tiers' results (tests/tier_summary.py)."""
    config.pluginmanager.register(TierSummary(), "rexvet-tier-summary")
