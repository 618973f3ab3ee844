"""The W3C VC test suites against the running platform (the interop tier's W3C part; tests/w3c_tier.py).

vc-data-model-2.0 (tag vc2.0), vc-di-eddsa (eddsa-rdfc-2022) and vc-bitstring-status-list (BitstringStatusList)
run with mocha against the issuer's `/credentials/issue` and the verifier's `/credentials/verify` and
`/presentations/verify`, over https on 127.0.0.1 (tests/interop/w3c_suites.py says how). A suite passes when every
test it finds passed, was skipped by the suite itself (an optional feature the platform does not use), or is on
tests/interop/w3c_not_applicable.toml with its reason. Each suite's score is printed (`-s` shows it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from w3c_suites import (
    SUITE_TAGS,
    Platform,
    SuiteRun,
    not_applicable,
    prepare_suite,
    run_mocha,
    running_platform,
    write_local_config,
)

SUITES = tuple(SUITE_TAGS)
pytestmark = pytest.mark.interop
NEEDS_SUITES = pytest.mark.w3c(*SUITES, "vc-test-suite-implementations", "data-integrity-test-suite-assertion")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("w3c-suites")


@pytest.fixture(scope="module")
def platform(scratch: Path) -> Iterator[Platform]:
    with running_platform(scratch) as running:
        yield running


def test_the_not_applicable_list_gives_a_reason_for_each_entry() -> None:
    listed = not_applicable()
    assert set(listed) <= set(SUITES), listed.keys()
    for suite, entries in listed.items():
        for title, reason in entries.items():
            assert len(reason.split()) >= 5, (suite, title)  # a reason someone can check, not a shrug


@NEEDS_SUITES
@pytest.mark.parametrize("suite", SUITES)
def test_every_applicable_test_of_the_suite_passes(
    suite: str, w3c_suites_dir: Path, scratch: Path, platform: Platform
) -> None:
    folder = prepare_suite(w3c_suites_dir, scratch, suite)
    write_local_config(folder, suite, platform)
    run = run_mocha(folder, suite, platform.env)
    excused = not_applicable().get(suite, {})
    print(f"\n{run.score()}; not applicable: {len(excused)}")
    assert run.ran > 0, f"{suite}: mocha ran no test; see {folder / 'mocha.log'}"
    unexcused = {title: error for title, error in run.failed.items() if title not in excused}
    missing = _not_run(run, folder) - set(excused)
    stale = sorted(title for title in excused if title in run.passed)
    assert not unexcused, f"{suite}: failing tests not on w3c_not_applicable.toml:\n" + "\n".join(
        f"- {title}: {error}" for title, error in unexcused.items()
    )
    assert not missing, f"{suite}: tests that did not run (a failing hook?): {sorted(missing)}"
    # The list only shrinks: an entry whose test passes now is a decision that no longer holds.
    assert not stale, f"{suite}: listed as not applicable but passing now (remove from the list): {stale}"


def _not_run(run: SuiteRun, folder: Path) -> set[str]:
    """Tests the dry run found that neither passed, failed nor were skipped: hidden by a failing hook."""
    dry = folder / "dry-run.json"
    found = (
        {test["fullTitle"] for test in json.loads(dry.read_text(encoding="utf-8"))["tests"]} if dry.is_file() else set()
    )
    return found - set(run.passed) - set(run.failed) - set(run.pending)
