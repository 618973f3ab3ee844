"""Debian's chromium, found (or installed) by scripts/browser/ensure-chromium.sh and launched for Playwright.

Playwright's own browser download cannot reach its host from these machines, so Playwright drives the system
browser through `executable_path`. A missing browser is a failure that says how to install it, never a skip.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
ENSURE_CHROMIUM = REPO_ROOT / "scripts" / "browser" / "ensure-chromium.sh"
INSTALL_SECONDS = 900.0  # a guard against a hanging apt-get, not a timing requirement

# What works on these machines. Without the background-networking flags chromium keeps opening connections to
# Google's services, which the closed network refuses (and which slow every start); QUIC likewise. --no-sandbox: the
# tests run as root in a container, where chromium's sandbox cannot start. Playwright gives every launch a fresh
# temporary profile (user-data dir) of its own and removes it at close.
LAUNCH_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_executable() -> str:
    """The browser's path; installs Debian's package as root when it is missing, else fails saying how to."""
    try:
        found = subprocess.run(
            ["bash", str(ENSURE_CHROMIUM)], capture_output=True, text=True, timeout=INSTALL_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{ENSURE_CHROMIUM} did not finish within {INSTALL_SECONDS:g}s: install chromium by hand")
    if found.returncode != 0:
        pytest.fail(f"the browser tests need chromium:\n{found.stderr.strip()[-3000:]}", pytrace=False)
    return found.stdout.strip().splitlines()[-1]


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=list(LAUNCH_FLAGS))
