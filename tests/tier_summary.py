"""A pytest plugin (registered by tests/conftest.py): the run ends with one row per test tier, its passed, failed and
skipped tests and the seconds they took, so a reader sees which tiers ran and where the time went.

A test's tier is its folder under tests/ (unit, contract, integration, e2e, interop, and any folder added later);
a test outside those folders is placed by its first tier marker. Errors count as failed (a test module that does
not import too) and xfailed as skipped, as pytest's own reports have them. The table comes after pytest's other
sections and before its final summary line, which stays the last line of the output: CI reads it.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
TIERS = ("unit", "contract", "integration", "e2e", "interop")  # the README's order; other tiers follow by name
UNPLACED = "other"


@dataclass
class TierCounts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def count(self, report: pytest.TestReport) -> None:
        self.seconds += report.duration
        # One outcome per test: its call, or its setup when that did not pass (then there is no call); a failed
        # teardown is an error on top of the call's outcome, as pytest counts it.
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.passed:
                self.passed += 1
            elif report.failed:
                self.failed += 1
            else:
                self.skipped += 1
        elif report.when == "teardown" and report.failed:
            self.failed += 1


def tier_of(path: Path, tests_dir: Path, markers: list[str]) -> str:
    path = path.resolve()
    if tests_dir in path.parents and path.parent != tests_dir:
        return path.relative_to(tests_dir).parts[0]
    marked = [name for name in markers if name in TIERS]
    return marked[0] if marked else UNPLACED


class TierSummary:
    def __init__(self, tests_dir: Path = TESTS_DIR) -> None:
        self.tests_dir = tests_dir.resolve()
        self.tier_by_test: dict[str, str] = {}
        self.tiers: dict[str, TierCounts] = {}
        self.rootpath = Path.cwd()

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.rootpath = session.config.rootpath

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        markers = [marker.name for marker in item.iter_markers()]
        self.tier_by_test[item.nodeid] = tier_of(Path(item.path), self.tests_dir, markers)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        # A module that does not import is a failure of its tier (and pytest then runs nothing at all).
        if report.failed:
            tier = tier_of(self.rootpath / report.fspath, self.tests_dir, [])
            self.tiers.setdefault(tier, TierCounts()).failed += 1

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        tier = self.tier_by_test.get(report.nodeid, UNPLACED)
        self.tiers.setdefault(tier, TierCounts()).count(report)

    # Outermost wrapper: what follows the yield runs after the terminal reporter's own sections (the short summary
    # of -ra included), and pytest prints its final line after this hook has returned.
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> Generator[None]:
        try:
            return (yield)
        finally:
            if self.tiers:
                terminalreporter.write_sep("-", "tests by tier")
                for line in self.table():
                    terminalreporter.write_line(line)

    def table(self) -> list[str]:
        order = [tier for tier in TIERS if tier in self.tiers] + sorted(set(self.tiers) - set(TIERS))
        total = TierCounts(
            passed=sum(c.passed for c in self.tiers.values()),
            failed=sum(c.failed for c in self.tiers.values()),
            skipped=sum(c.skipped for c in self.tiers.values()),
            seconds=sum(c.seconds for c in self.tiers.values()),
        )
        rows = [(tier, self.tiers[tier]) for tier in order] + [("total", total)]
        width = max(len("tier"), *(len(name) for name, _ in rows))
        lines = [f"{'tier':<{width}}  {'passed':>6}  {'failed':>6}  {'skipped':>7}  {'seconds':>8}"]
        for name, c in rows:
            lines.append(f"{name:<{width}}  {c.passed:>6}  {c.failed:>6}  {c.skipped:>7}  {c.seconds:>8.1f}")
        return lines
