"""What browser tests import: axe-core checks, screenshots, keyboard helpers and a live server for an ASGI app,
e.g. `from ..support import assert_no_axe_violations, screenshot, tab_until_focused` in tests/browser/<folder>/."""

from __future__ import annotations

from .axe import WCAG_21_AA_TAGS, Violation, assert_no_axe_violations, axe_violations
from .keyboard import assert_focus_visible, focused_description, is_focused, tab_order, tab_until_focused
from .live_server import live_server
from .screenshots import SCREENSHOT_DIR, screenshot

__all__ = [
    "SCREENSHOT_DIR",
    "WCAG_21_AA_TAGS",
    "Violation",
    "assert_focus_visible",
    "assert_no_axe_violations",
    "axe_violations",
    "focused_description",
    "is_focused",
    "live_server",
    "screenshot",
    "tab_order",
    "tab_until_focused",
]
