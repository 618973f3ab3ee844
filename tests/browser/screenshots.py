"""Screenshots kept as test artefacts in tests/artifacts/screenshots/ (git-ignored), to look at after a run."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

SCREENSHOT_DIR = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


def screenshot_path(name: str) -> Path:
    """`name` may hold folders ("verifier/form"); anything but letters, digits, '-', '_' and '.' becomes '-'."""
    parts = [re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-.") or "page" for part in name.split("/")]
    *folders, file = parts
    return SCREENSHOT_DIR.joinpath(*folders, file + ".png")


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """The whole page as a PNG under tests/artifacts/screenshots/<name>.png (replacing an earlier run's)."""
    path = screenshot_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path
