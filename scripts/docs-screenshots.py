"""Retake the screenshots in docs/ (the portal's ladder, a badge page, the pathway and the verifier's result page).

    uv run --frozen python scripts/docs-screenshots.py

Starts `make run` on free ports with a throwaway data directory (tests/e2e/make_run.py), lets one staff member earn
the first Abroad badge through the API as the README's walk-through does, signs her in through the development
sign-in page in chromium (tests/browser/chromium.py) and saves the pages as PNGs in docs/, at a 1200x800 viewport so
the files stay small. Stops `make run` at the end, whatever happened.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "tests" / "e2e"), str(REPO_ROOT)]

from make_run import LOOPBACK, Platform, make_run  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.browser.chromium import launch_chromium  # noqa: E402

DOCS = REPO_ROOT / "docs"
VIEWPORT = {"width": 1200, "height": 800}
STAFF, NAME, COACH = "alice", "Alice Example", "carl"
ISSUED_SECONDS = 120.0  # evidence -> coaching -> issuer -> coaching on a busy machine; a guard, not a requirement


def call(method: str, url: str, headers: dict[str, str], body: object = None) -> object:
    response = LOOPBACK.request(method, url, headers=headers, json=body)
    if response.status_code >= 400:
        raise SystemExit(f"{method} {url} answered {response.status_code}: {response.text}")
    return response.json() if response.content else None


def earn_the_first_abroad_badge(platform: Platform) -> None:
    """The README's API walk-through: enrol, do the steps, the coach signs off, HR reports the mobility."""
    coaching, evidence = platform.urls["coaching"], platform.urls["evidence"]
    staff = platform.token("omnia", STAFF, ["staff"], ["coaching:read", "coaching:write", "issuer:read"])
    coach = platform.token("omnia", COACH, ["coach"], ["coaching:read", "coaching:write"])
    hr = platform.token("omnia", "hris", ["hr-system"], ["hr:write"])
    call("PUT", f"{coaching}/v1/me/recipient", staff, {"email": "alice@omnia.example"})
    enrolment = call("POST", f"{coaching}/v1/me/enrolments", staff, {"badge_id": "abroad-rookie", "coach_id": COACH})
    assert isinstance(enrolment, dict)
    eid = enrolment["id"]
    for step in ("learning-goals", "take-part"):
        call("POST", f"{coaching}/v1/me/enrolments/{eid}/steps/{step}/complete", staff)
    call("POST", f"{coaching}/v1/staff/{STAFF}/enrolments/{eid}/steps/coach-debrief/sign-off", coach)
    mobility = {
        "id": "HR-1",
        "type": "mobility.completed",
        "staff_id": STAFF,
        "occurred_at": "2026-11-20T09:00:00+00:00",
        "fields": {"duration_days": 12},
    }
    call("POST", f"{evidence}/v1/hr/events", hr, mobility)
    deadline = time.monotonic() + ISSUED_SECONDS
    while time.monotonic() < deadline:
        credentials = call("GET", platform.urls["issuer"] + "/v1/me/credentials", staff)
        if isinstance(credentials, dict) and credentials.get("items"):
            return
        time.sleep(1.0)
    raise SystemExit(
        f"no badge issued within {ISSUED_SECONDS:g}s; make run's output:\n{platform.log.read_text()[-3000:]}"
    )


def credential_url(platform: Platform) -> str:
    staff = platform.token("omnia", STAFF, ["staff"], ["issuer:read"])
    credentials = call("GET", platform.urls["issuer"] + "/v1/me/credentials", staff)
    assert isinstance(credentials, dict)
    url: str = credentials["items"][0]["url"]
    return url


def shoot(page: Page, name: str) -> None:
    path = DOCS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    print(f"saved {path.relative_to(REPO_ROOT)} ({path.stat().st_size // 1024} KiB)")


def walk(page: Page, platform: Platform) -> None:
    portal = platform.urls["portal"]
    page.goto(portal + "/")
    page.locator('main a[href="/signin"]').click()
    page.locator("#tenant").fill("omnia")
    page.locator("#sub").fill(STAFF)
    page.locator("#name").fill(NAME)
    if not page.locator("#role-staff").is_checked():
        page.locator("#role-staff").check()
    page.locator('button[value="sign-in"]').click()
    expect(page).to_have_url(portal + "/ladder")
    shoot(page, "portal-ladder")
    # The next rung: its badge page, where she enrols with her coach, then its pathway.
    page.goto(portal + "/badges/abroad-advanced")
    shoot(page, "portal-badge")
    page.locator("#coach_id").fill(COACH)
    page.locator('form[action="/badges/abroad-advanced/enrol"] button[type="submit"]').click()
    expect(page.locator(".notice")).to_be_visible()
    page.locator('main a[href^="/pathways/"]').click()
    expect(page.locator("form.upload")).to_be_visible()
    shoot(page, "portal-pathway")
    # Anyone verifies the Rookie badge from its public address.
    page.goto(platform.urls["verifier"] + "/")
    page.locator("#url").fill(credential_url(platform))
    page.get_by_role("button", name="Verify from address").click()
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", "verified")
    shoot(page, "verifier-result")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rexvet-docs-") as scratch, make_run(REPO_ROOT, Path(scratch)) as platform:
        earn_the_first_abroad_badge(platform)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                context = browser.new_context(viewport=VIEWPORT, locale="en-GB")  # type: ignore[arg-type]
                walk(context.new_page(), platform)
            finally:
                browser.close()


if __name__ == "__main__":
    main()
