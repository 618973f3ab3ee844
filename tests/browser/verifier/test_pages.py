"""The verifier's public pages in a real browser: axe-core finds no WCAG 2.1 AA violation on any of them, in English
and in Finnish, and a person can verify a credential and switch the language with the keyboard alone. Screenshots of
each go to tests/artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from ..support import assert_focus_visible, assert_no_axe_violations, screenshot, tab_order, tab_until_focused
from .conftest import Verifier
from .credentials import failed_text, incomplete_text, verified_text

NARROW = {"width": 390, "height": 844}  # a phone: the check table must stay readable


def submit_pasted(page: Page, verifier: Verifier, text: str) -> None:
    page.goto(verifier.url + "/")
    page.get_by_label("Credential (JSON or VC-JWT)").fill(text)
    page.get_by_role("button", name="Verify", exact=True).click()


def test_form_page(page: Page, verifier: Verifier) -> None:
    page.goto(verifier.url + "/")
    expect(page).to_have_title("Verify an Open Badge · rexvet")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify an Open Badge")
    assert_no_axe_violations(page)
    screenshot(page, "verifier/form")


@pytest.mark.parametrize(
    ("outcome", "credential", "headline"),
    [
        ("verified", verified_text, "Verified"),
        ("failed", failed_text, "Not valid"),
        ("incomplete", incomplete_text, "Could not be fully verified"),
    ],
)
def test_result_page(
    page: Page, verifier: Verifier, outcome: str, credential: Callable[[], str], headline: str
) -> None:
    submit_pasted(page, verifier, credential())
    result = page.locator("#outcome")
    expect(result).to_have_attribute("data-outcome", outcome)
    expect(result.get_by_role("heading", level=2)).to_have_accessible_name(headline)  # the symbol is hidden
    expect(page.get_by_role("table")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, f"verifier/result-{outcome}")


def test_result_page_on_a_phone(new_page: Callable[..., Page], verifier: Verifier) -> None:
    page = new_page(viewport=NARROW)
    submit_pasted(page, verifier, verified_text())
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", "verified")
    # Nothing wider than the screen: no sideways scrolling to read a check (WCAG 1.4.10, reflow).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert_no_axe_violations(page)
    screenshot(page, "verifier/result-verified-phone")


def test_form_errors_are_announced(page: Page, verifier: Verifier) -> None:
    page.goto(verifier.url + "/")
    page.get_by_role("button", name="Verify", exact=True).click()  # nothing pasted, nothing uploaded
    expect(page.get_by_role("alert")).to_contain_text("That could not be read")
    assert_no_axe_violations(page)
    screenshot(page, "verifier/form-error")


def test_pages_work_without_javascript(new_page: Callable[..., Page], verifier: Verifier) -> None:
    page = new_page(javascript=False)
    submit_pasted(page, verifier, verified_text())
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", "verified")
    assert_no_axe_violations(page)


def test_tab_order_follows_the_page(page: Page, verifier: Verifier) -> None:
    page.goto(verifier.url + "/")
    stops = tab_order(page)
    languages = ["English", "Suomi", "Eesti", "Italiano", "Nederlands", "Español"]  # the switch, in the header
    expected = ["rexvet verifier", *languages, "id=credential", "id=image", "Verify", "id=url", "Verify from address"]
    order = "\n".join(stops)
    assert len(stops) == len(expected), order
    for stop, words in zip(stops, expected, strict=True):
        assert words in stop, order


def test_verifying_with_the_keyboard_alone(page: Page, verifier: Verifier) -> None:
    page.goto(verifier.url + "/")
    tab_until_focused(page, page.get_by_label("Credential (JSON or VC-JWT)"))
    assert_focus_visible(page)
    page.keyboard.insert_text(verified_text())  # what a paste (Ctrl+V) puts in
    tab_until_focused(page, page.get_by_role("button", name="Verify", exact=True))
    assert_focus_visible(page)
    screenshot(page, "verifier/keyboard-focus-on-verify")
    page.keyboard.press("Enter")
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", "verified")

    tab_until_focused(page, page.get_by_role("link", name="Verify another credential"))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify an Open Badge")


def test_verifying_an_address_with_the_keyboard_alone(page: Page, verifier: Verifier) -> None:
    page.goto(verifier.url + "/")
    tab_until_focused(page, page.get_by_label("or the address where the credential is published"))
    assert_focus_visible(page)
    page.keyboard.type(verifier.published_credential_url)
    page.keyboard.press("Enter")  # Enter in a text field submits its form
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", "verified")
    assert_no_axe_violations(page)


FINNISH_HEADLINES = {
    "verified": (verified_text, "Varmennettu"),
    "failed": (failed_text, "Ei kelpaa"),
    "incomplete": (incomplete_text, "Ei voitu varmentaa kokonaan"),
}


def test_the_form_in_finnish_from_the_browser_language(new_page: Callable[..., Page], verifier: Verifier) -> None:
    page = new_page(locale="fi-FI")  # Accept-Language: fi-FI
    page.goto(verifier.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page).to_have_title("Tarkista Open Badge -merkki · rexvet")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista Open Badge -merkki")
    expect(page.get_by_role("navigation", name="Kieli").get_by_role("link", name="Suomi")).to_have_attribute(
        "aria-current", "true"
    )
    assert_no_axe_violations(page)
    screenshot(page, "verifier/fi/form")

    page.get_by_role("button", name="Tarkista", exact=True).click()  # nothing pasted
    expect(page.get_by_role("alert")).to_contain_text("Sitä ei voitu lukea")
    expect(page.get_by_role("alert")).to_contain_text("Liitä osaamismerkki tai valitse merkkikuva")
    assert_no_axe_violations(page)
    screenshot(page, "verifier/fi/form-error")


@pytest.mark.parametrize("outcome", sorted(FINNISH_HEADLINES))
def test_the_result_page_in_finnish(new_page: Callable[..., Page], verifier: Verifier, outcome: str) -> None:
    credential, headline = FINNISH_HEADLINES[outcome]
    page = new_page(locale="fi-FI")
    page.goto(verifier.url + "/")
    page.get_by_label("Osaamismerkki (JSON tai VC-JWT)").fill(credential())
    page.get_by_role("button", name="Tarkista", exact=True).click()
    result = page.locator("#outcome")
    expect(result).to_have_attribute("data-outcome", outcome)
    expect(result.get_by_role("heading", level=2)).to_have_accessible_name(headline)
    expect(page.get_by_role("columnheader", name="Tarkistus")).to_be_visible()
    signature = page.get_by_role("rowheader", name="Allekirjoitus", exact=True)  # the check registry's title
    expect(signature).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    # each check's outcome worded in Finnish too: nothing of the engine's English is left in the table
    expect(page.locator("table.checks [lang=en]")).to_have_count(0)
    expect(page.locator('tr[data-check="parse"]')).to_contain_text("Osaamismerkki on JSON-objekti.")
    assert_no_axe_violations(page)
    screenshot(page, f"verifier/fi/result-{outcome}")


@pytest.mark.parametrize("language", ["et", "it"])
@pytest.mark.parametrize("outcome", sorted(FINNISH_HEADLINES))
def test_the_result_page_words_each_outcome_in_the_language(
    new_page: Callable[..., Page], verifier: Verifier, outcome: str, language: str
) -> None:
    credential, _ = FINNISH_HEADLINES[outcome]
    page = new_page(locale=language)
    page.goto(verifier.url + "/")
    page.locator("#credential").fill(credential())
    page.locator('form button[type="submit"]').first.click()
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", outcome)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table.checks [lang=en]")).to_have_count(0)
    parsed = {"et": "Tõend on JSON-objekt.", "it": "La credenziale è un oggetto JSON."}[language]
    expect(page.locator('tr[data-check="parse"]')).to_contain_text(parsed)
    assert_no_axe_violations(page)
    screenshot(page, f"verifier/{language}/result-{outcome}")


def test_switching_to_finnish_with_the_keyboard_is_remembered(page: Page, verifier: Verifier) -> None:
    page.goto(verifier.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    tab_until_focused(page, page.get_by_role("link", name="Suomi"))
    assert_focus_visible(page)
    screenshot(page, "verifier/fi/keyboard-focus-on-switch")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista Open Badge -merkki")

    # remembered: the browser still says English, the next pages stay Finnish
    tab_until_focused(page, page.get_by_label("Osaamismerkki (JSON tai VC-JWT)"))
    page.keyboard.insert_text(verified_text())
    tab_until_focused(page, page.get_by_role("button", name="Tarkista", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", "verified")
    expect(page.locator("#outcome").get_by_role("heading", level=2)).to_have_accessible_name("Varmennettu")

    # and back to English from the result page, with the keyboard
    tab_until_focused(page, page.get_by_role("link", name="English"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify an Open Badge")
