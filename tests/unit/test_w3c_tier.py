"""The W3C suites tier (tests/w3c_tier.py): a test marked `w3c` runs when the suites it needs are there, and is
otherwise skipped, before any of its fixtures is built, with one line naming what is missing and how to enable it."""

from __future__ import annotations

from pathlib import Path

import pytest
from w3c_tier import missing_suites

pytestmark = pytest.mark.unit

SUITE = "vc-di-eddsa-test-suite"


def test_an_absent_folder_is_named_with_how_to_enable_the_tier(tmp_path: Path) -> None:
    reason = missing_suites(tmp_path / "absent", [SUITE], "../shared/w3c-suites")
    assert reason is not None
    assert reason.startswith("W3C suites not found at ../shared/w3c-suites: lay the W3C test suites there")
    assert "--w3c-suites=DIR" in reason
    assert "\n" not in reason


def test_a_missing_suite_is_named(tmp_path: Path) -> None:
    (tmp_path / "vc-data-model-2.0-test-suite").mkdir()
    reason = missing_suites(tmp_path, ["vc-data-model-2.0-test-suite", SUITE], "DIR")
    assert reason is not None
    assert reason.startswith(f"W3C suites missing from DIR: {SUITE}: ")
    assert "vc-data-model-2.0-test-suite" not in reason


def test_nothing_is_missing_when_the_suites_are_there(tmp_path: Path) -> None:
    (tmp_path / SUITE).mkdir()
    assert missing_suites(tmp_path, [SUITE], "DIR") is None
    assert missing_suites(tmp_path, [], "DIR") is None


MARKED_TEST = f"""
from pathlib import Path

import pytest

@pytest.fixture
def expensive():
    Path("fixture-built").touch()  # a skipped w3c test must not build its fixtures (suites, servers)

@pytest.mark.w3c("{SUITE}")
def test_suite(expensive):
    pass

@pytest.mark.w3c("{SUITE}")
def test_reads_the_suites(w3c_suites_dir):
    assert (w3c_suites_dir / "{SUITE}").is_dir()

def test_unmarked():
    pass
"""


def run_marked_tests(pytester: pytest.Pytester, suites: Path) -> pytest.RunResult:
    pytester.makeini(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\nmarkers =\n    w3c: the W3C suites tier\n"
    )
    pytester.makepyfile(test_marked=MARKED_TEST)
    return pytester.runpytest("-p", "w3c_tier", f"--w3c-suites={suites}", "-rs")


def test_a_marked_test_is_skipped_with_one_line_without_the_suites(pytester: pytest.Pytester, tmp_path: Path) -> None:
    result = run_marked_tests(pytester, tmp_path / "absent")
    result.assert_outcomes(passed=1, skipped=2)
    skipped = [line for line in result.outlines if line.startswith("SKIPPED")]
    # -rs folds identical reasons into one line: one line for the whole tier, whatever its size
    assert len(skipped) == 1, result.outlines
    assert f"W3C suites not found at {tmp_path / 'absent'}: lay the W3C test suites there" in skipped[0]
    assert not (pytester.path / "fixture-built").exists()


def test_a_marked_test_runs_with_the_suites(pytester: pytest.Pytester, tmp_path: Path) -> None:
    (tmp_path / "suites" / SUITE).mkdir(parents=True)
    result = run_marked_tests(pytester, tmp_path / "suites")
    result.assert_outcomes(passed=3)
    assert (pytester.path / "fixture-built").exists()
