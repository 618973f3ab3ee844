"""Keyboard-only use: move the focus with Tab as a person would, and see where it is and that it can be seen."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

NOTHING = "(nothing: the page itself)"
MAX_TABS = 60  # more stops than any of our pages has: reaching it means the element is not in the tab order


def focused_description(page: Page) -> str:
    """The focused element in words for a failure message: tag, id, name and its text or label."""
    described: str = page.evaluate(
        """() => {
            const e = document.activeElement;
            if (!e || e === document.body) return "NOTHING";
            const text = (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 40);
            return `<${e.tagName.toLowerCase()}${e.id ? " id=" + e.id : ""}${e.name ? " name=" + e.name : ""}> ${text}`;
        }"""
    )
    return NOTHING if described == "NOTHING" else described


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("(element) => element === document.activeElement"))


def tab_until_focused(page: Page, target: Locator, *, backwards: bool = False, max_tabs: int = MAX_TABS) -> int:
    """Press Tab (Shift+Tab backwards) until `target` has the focus; the number of presses it took.

    Fails, naming every stop on the way, when the element is not reached: it is not keyboard reachable.
    """
    key = "Shift+Tab" if backwards else "Tab"
    stops: list[str] = []
    for presses in range(1, max_tabs + 1):
        page.keyboard.press(key)
        if is_focused(target):
            return presses
        stops.append(focused_description(page))
    raise AssertionError(
        f"{target} never got the focus in {max_tabs} presses of {key}; the stops were:\n  " + "\n  ".join(stops)
    )


def tab_order(page: Page, *, max_tabs: int = MAX_TABS) -> list[str]:
    """Every stop of one round of Tab from the top of the page until the focus leaves it (to the browser's own
    controls) or comes round again, each described as `focused_description` does."""
    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    stops: list[str] = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        stop = focused_description(page)
        if stop == NOTHING or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


def assert_focus_visible(page: Page) -> None:
    """The focused element shows a focus indicator (an outline or a box shadow), as WCAG 2.4.7 asks."""
    style: dict[str, str] = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle + " " + s.outlineWidth, shadow: s.boxShadow};
        }"""
    )
    has_outline = not style["outline"].startswith("none") and not style["outline"].endswith(" 0px")
    assert has_outline or style["shadow"] != "none", f"no visible focus on {focused_description(page)}: {style}"
