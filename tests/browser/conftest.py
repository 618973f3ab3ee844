"""Fixtures of the browser tier (tests/browser): Playwright for Python driving Debian's chromium.

    browser   (package)  one chromium for the whole tier (every test under tests/browser), closed after its last test
    new_page  (function) new_page(javascript=True, locale="en-GB", **context_options) -> a Page in a fresh context
                         (its own cookies); closed after the test, screenshotted under failures/ when the test fails
    page      (function) new_page() with the defaults

Every test here is marked `browser` (pytest -m browser runs the tier, -m "not browser" leaves it out).

The tests are synchronous (Playwright's sync API). That API keeps the thread's asyncio loop marked as running while
Playwright is open, so an asyncio test (pytest-asyncio) cannot run meanwhile: hence one browser per package, not per
session, so the tiers after this one get their loops; and no async test or fixture belongs in this folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .axe import mark_scriptless
from .chromium import launch_chromium
from .screenshots import screenshot

NewPage = Callable[..., Page]
ACTION_TIMEOUT_MS = 15_000  # a failing wait reports after this, instead of Playwright's 30 s


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test of this folder is in the `browser` tier, the portal's too, without a mark of its own."""
    for item in items:
        # Node ids are relative to the repository root (pyproject.toml), wherever pytest is started.
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[NewPage]:
    contexts: list[BrowserContext] = []

    def open_page(*, javascript: bool = True, locale: str = "en-GB", **context_options: Any) -> Page:
        context = browser.new_context(java_script_enabled=javascript, locale=locale, **context_options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        if not javascript:
            mark_scriptless(context)
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = request.node.stash.get(_CALL_FAILED, False)
    for index, context in enumerate(contexts):
        for number, opened in enumerate(context.pages):
            if failed and opened.url != "about:blank":
                test = request.node.nodeid.removeprefix("tests/browser/").replace("/", "-").replace("::", "-")
                screenshot(opened, f"failures/{test}-{index}-{number}")
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()
