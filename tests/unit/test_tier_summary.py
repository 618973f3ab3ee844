"""The per-tier table that ends `make test`, run on a small tests/ tree of its own with pytest's pytester."""

from __future__ import annotations

import pytest
from tier_summary import TierSummary

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.unit

INI = """
[pytest]
asyncio_default_fixture_loop_scope = function
markers =
    integration: real servers
"""

UNIT_TESTS = """
import pytest

def test_one(): pass
def test_two(): pass

@pytest.mark.skip(reason="not here")
def test_skipped(): pass

@pytest.mark.xfail(reason="known", strict=True)
def test_xfailed(): assert False
"""

CONTRACT_TESTS = """
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("setup fails")

def test_fails(): assert 1 == 2
def test_errors(broken): pass
def test_passes(): pass
"""

TOP_LEVEL_TESTS = """
import pytest

@pytest.mark.integration
def test_marked_integration(): pass

def test_unmarked(): pass
"""


def run(pytester: pytest.Pytester) -> list[str]:
    pytester.makeini(INI)
    pytester.mkdir("tests")
    for folder, source in {"tests/unit": UNIT_TESTS, "tests/contract": CONTRACT_TESTS}.items():
        pytester.mkdir(folder)
        (pytester.path / folder / f"test_{folder.rsplit('/', 1)[1]}.py").write_text(source)
    (pytester.path / "tests" / "test_top_level.py").write_text(TOP_LEVEL_TESTS)
    result = pytester.runpytest("-q", "-ra", "-p", "no:cacheprovider", plugins=[TierSummary(pytester.path / "tests")])
    return [line for line in result.outlines if line.strip()]


def test_one_row_per_tier_with_its_counts_then_a_total(pytester: pytest.Pytester) -> None:
    lines = run(pytester)
    header = lines.index(
        next(line for line in lines if line.split() == ["tier", "passed", "failed", "skipped", "seconds"])
    )
    rows = {line.split()[0]: line.split()[1:4] for line in lines[header + 1 : header + 6]}
    assert rows == {
        "unit": ["2", "0", "2"],
        "contract": ["1", "2", "0"],
        "integration": ["1", "0", "0"],
        "other": ["1", "0", "0"],
        "total": ["5", "2", "2"],
    }
    assert list(rows) == ["unit", "contract", "integration", "other", "total"]


def test_the_table_follows_the_short_summary_and_pytests_own_line_stays_last(pytester: pytest.Pytester) -> None:
    lines = run(pytester)
    table = next(i for i, line in enumerate(lines) if "tests by tier" in line)
    short_summary = next(i for i, line in enumerate(lines) if "short test summary info" in line)
    assert short_summary < table
    assert lines[-1].startswith("1 failed, 5 passed, 1 skipped, 1 xfailed, 1 error in ")


def test_a_module_that_does_not_import_counts_as_a_failure_of_its_tier(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    for folder in ("tests", "tests/unit", "tests/integration"):
        pytester.mkdir(folder)
    (pytester.path / "tests/unit/test_fine.py").write_text("def test_fine(): pass\n")
    (pytester.path / "tests/integration/test_broken.py").write_text("import not_a_module_anywhere\n")
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", plugins=[TierSummary(pytester.path / "tests")])
    rows = {
        line.split()[0]: line.split()[1:4] for line in result.outlines if line[:1].isalpha() and len(line.split()) == 5
    }
    assert rows["integration"] == ["0", "1", "0"]
    assert "unit" not in rows  # pytest ran nothing
    assert result.outlines[-1].startswith("1 error in ")
