"""The tier's own checks can fail: axe-core reports a broken page (with JavaScript on and off, under a strict
Content-Security-Policy) in words that say what to fix, and the keyboard helpers notice what Tab cannot reach."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.sync_api import Page

from .support import axe_violations, live_server, screenshot, tab_order, tab_until_focused

# No lang, an image without alt, grey on white (2.3:1), a field without a label, a link only a mouse can use.
BROKEN = """<!doctype html><html><head><title>broken</title></head><body><main>
<h1>Broken</h1><img src="/pixel.png"><p class="faint">hard to read</p>
<input id="nameless" type="text"><span id="mouse-only" role="link">only a mouse reaches this</span>
<a id="last" href="#">last</a></main></body></html>"""
STYLE = ".faint { color: #aaa; background: #fff; }"
STRICT = {"Content-Security-Policy": "default-src 'none'; style-src 'self'"}


@pytest.fixture(scope="module")
def broken_site() -> Iterator[str]:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def broken() -> HTMLResponse:
        return HTMLResponse(BROKEN.replace("</head>", '<link rel="stylesheet" href="/s.css"></head>'), headers=STRICT)

    @app.get("/s.css")
    def style() -> HTMLResponse:
        return HTMLResponse(STYLE, media_type="text/css")

    with live_server(app) as url:
        yield url


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_axe_reports_what_to_fix(new_page: Callable[..., Page], broken_site: str, javascript: bool) -> None:
    page = new_page(javascript=javascript)
    page.goto(broken_site + "/")
    violations = {violation.rule: violation for violation in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "color-contrast", "label"} <= set(violations), sorted(violations)
    contrast = violations["color-contrast"].describe()
    assert "\n  at p\n" in contrast and "insufficient color contrast of 2.32" in contrast and "https://" in contrast
    assert violations["image-alt"].impact == "critical" and violations["image-alt"].targets == ("img",)


def test_tab_until_focused_names_the_stops_when_it_cannot_reach(page: Page, broken_site: str) -> None:
    page.goto(broken_site + "/")
    assert tab_until_focused(page, page.locator("#last")) == 2  # the field, then the link
    with pytest.raises(AssertionError, match=r"never got the focus[\s\S]*<input id=nameless>"):
        tab_until_focused(page, page.locator("#mouse-only"), max_tabs=4)
    assert tab_order(page) == ["<input id=nameless> ", "<a id=last> last"]


def test_screenshot_is_kept_as_a_png(page: Page, broken_site: str) -> None:
    page.goto(broken_site + "/")
    path = screenshot(page, "support/broken page")
    assert path.name == "broken-page.png" and path.parent.name == "support"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
