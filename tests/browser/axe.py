"""axe-core (pinned by js/package-lock.json, installed from the npm registry) run inside the page under test.

The script comes from node_modules, never a CDN, and goes in through the DevTools protocol (`page.evaluate`), which
a page's Content-Security-Policy does not apply to: the verifier forbids every script, and the check must not
need that lifted.
"""

from __future__ import annotations

import shutil
import subprocess
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

JS_DIR = Path(__file__).resolve().parent / "js"
AXE_SCRIPT = JS_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA, as the product promises (issue 16); best practices are not part of it.
WCAG_21_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Contexts opened with JavaScript off. axe cannot run in them (Playwright's evaluate never returns there), so their
# pages are checked as a copy in a JavaScript context: without script the DOM is exactly the served HTML.
_SCRIPTLESS: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def mark_scriptless(context: BrowserContext) -> None:
    _SCRIPTLESS.add(context)


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule an element breaks, in the words a developer needs to fix it."""

    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    summaries: tuple[str, ...]

    def describe(self) -> str:
        lines = [f"{self.rule} ({self.impact}): {self.help}  [{self.help_url}]"]
        for target, summary in zip(self.targets, self.summaries, strict=True):
            lines.append(f"  at {target}")
            lines.extend(f"     {line.strip()}" for line in summary.splitlines() if line.strip())
        return "\n".join(lines)


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed once to install axe-core for the browser tests (apt-get install npm)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=JS_DIR, check=True, timeout=600)
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page, *, tags: tuple[str, ...] = WCAG_21_AA_TAGS) -> list[Violation]:
    """axe-core's WCAG violations of the page as it is now (after whatever the test did to it)."""
    if page.context in _SCRIPTLESS:
        return _violations_of_copy(page, tags)
    return _run_axe(page, tags)


def assert_no_axe_violations(page: Page, *, tags: tuple[str, ...] = WCAG_21_AA_TAGS) -> None:
    violations = axe_violations(page, tags=tags)
    if violations:
        report = "\n".join(violation.describe() for violation in violations)
        pytest.fail(
            f"axe-core found {len(violations)} WCAG 2.1 AA violation(s) on {page.url}:\n{report}", pytrace=False
        )


def _run_axe(page: Page, tags: tuple[str, ...]) -> list[Violation]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;true")  # a script, not a function: defines window.axe
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            const results = await axe.run(document, options);
            return results.violations.map((v) => ({
                rule: v.id, impact: v.impact || "unknown", help: v.help, help_url: v.helpUrl,
                targets: v.nodes.map((n) => n.target.join(" ")), summaries: v.nodes.map((n) => n.failureSummary || ""),
            }));
        }""",
        list(tags),
    )
    return [
        Violation(
            rule=v["rule"],
            impact=v["impact"],
            help=v["help"],
            help_url=v["help_url"],
            targets=tuple(v["targets"]),
            summaries=tuple(v["summaries"]),
        )
        for v in found
    ]


def _violations_of_copy(page: Page, tags: tuple[str, ...]) -> list[Violation]:
    """The scriptless page's HTML served again at its own address (so its stylesheets and images load as before) in a
    JavaScript context with the same cookies, and checked there."""
    html, address = page.content(), page.url
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(storage_state=page.context.storage_state())
    try:
        copy = context.new_page()
        copy.route(
            lambda url: url == address,
            lambda route: route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8"),
        )
        copy.goto(address)
        return _run_axe(copy, tags)
    finally:
        context.close()
