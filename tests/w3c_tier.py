"""The W3C suites tier: the only tests allowed to need `../shared` at run time.

The W3C test suites are whole node projects (not on npm), so they are not copied into the repository like the
rest of the conformance data (tests/conformance/). A test marked `w3c` runs against them; where they are missing it
is skipped with one line that says what is missing and how to enable the tier, never failed: a fresh clone has no
`../shared` beside it. `@pytest.mark.w3c("vc-di-eddsa-test-suite", ...)` names the suite folders a test needs; a bare
`@pytest.mark.w3c` needs only the folder itself.

Loaded as a plugin by tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SUITES_DIR = REPO_ROOT.parent / "shared" / "w3c-suites"
OPTION = "--w3c-suites"


def missing_suites(suites_dir: Path, needed: Iterable[str], shown_as: str) -> str | None:
    """Why a `w3c` test cannot run (one line), or None when everything it needs is there."""
    how = f"lay the W3C test suites there (one folder per repository) or pass {OPTION}=DIR to run this tier"
    if not suites_dir.is_dir():
        return f"W3C suites not found at {shown_as}: {how}"
    absent = [name for name in needed if not (suites_dir / name).is_dir()]
    if absent:
        return f"W3C suites missing from {shown_as}: {', '.join(absent)}: {how}"
    return None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        default=None,
        metavar="DIR",
        help=f"folder holding the W3C test suites for tests marked w3c (default: {DEFAULT_SUITES_DIR})",
    )


def suites_dir(config: pytest.Config) -> tuple[Path, str]:
    """The folder and how to name it in a skip line: the default is shown as `../shared/w3c-suites`, the way a
    developer lays it out, rather than as an absolute path of one machine."""
    given = config.getoption(OPTION)
    if given:
        return Path(given).resolve(), str(given)
    return DEFAULT_SUITES_DIR, "../shared/w3c-suites"


@pytest.hookimpl(tryfirst=True)  # before any fixture is set up: a skipped test builds nothing
def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("w3c")
    if marker is None:
        return
    folder, shown_as = suites_dir(item.config)
    reason = missing_suites(folder, [str(name) for name in marker.args], shown_as)
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def w3c_suites_dir(pytestconfig: pytest.Config) -> Path:
    """The W3C suites' folder, for tests marked `w3c` (which are skipped before this runs when it is missing)."""
    return suites_dir(pytestconfig)[0]
