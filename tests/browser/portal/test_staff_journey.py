"""The whole staff journey in chromium against `make run`: sign in on the development page, take the
self-assessment, enrol in Abroad / Rookie with a coach, complete the steps, upload an evidence file; the coach (in a
second browser context) returns the evidence with a comment, the staff member reads it and resubmits, the coach
approves and signs off the coach step; the HR event arrives through the API; the badge is under "My badges", its
verify link shows it verified on the verifier's page, and its LinkedIn link carries the credential's values.

One journey, described once, run as four variants (`VARIANTS`): in English, in Finnish, with JavaScript off and with
the keyboard alone (Tab, Shift+Tab, Enter, Space and typing: no click anywhere). The texts a step expects are the
portal's own msgids, translated by the variant's catalog, so the Finnish run checks the Finnish words. axe-core
reports no WCAG 2.1 AA violation on any page of any variant, and every page is kept as a screenshot under
tests/artifacts/screenshots/portal/<variant>/ (the coach's pages under <variant>-coach/).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from babel.support import NullTranslations
from make_run import LOOPBACK, Platform
from playwright.sync_api import FileChooser, Locator, Page, Route, expect

from rexvet_common.web_i18n.catalogs import load_translations
from rexvet_common.web_i18n.languages import LocaleFormat
from rexvet_portal.api.i18n import LOCALES_DIR

from ..support import assert_focus_visible, assert_no_axe_violations, screenshot, tab_until_focused
from .conftest import UPLOAD_LIMIT_BYTES
from .wallet_step import offer_to_wallet

pytestmark = pytest.mark.timeout(900)

# UPLOAD_LIMIT_BYTES as each language writes it (written out here, not computed the way the page computes it).
LIMIT_SAID = {"en": "2 MB", "fi": "2 Mt"}
# The evidence file's size (1.5 MiB) as each language writes it: the decimal separator and the unit.
SIZE_SAID = {"en": "1.5 MB", "fi": "1,5 Mt"}


@dataclass(frozen=True)
class Person:
    sub: str
    name: str


@dataclass(frozen=True)
class FrameworkWords:
    """Texts of the framework's data (coaching's, not the portal's catalog) as the language's translation has them."""

    badge_title: str
    for_you_if: str
    first_step: str


FRAMEWORK_WORDS = {
    "en": FrameworkWords(
        "Internationalisation Abroad - Rookie",
        "you want to see how VET works in another country",
        "Write your learning goals",
    ),
    "fi": FrameworkWords(
        "Kansainvälistyminen ulkomailla – noviisi",
        "haluat nähdä, miten ammatillinen koulutus toimii toisessa maassa",
        "Kirjoita oppimistavoitteesi",
    ),
}


@dataclass(frozen=True)
class Variant:
    """How one run of the journey is made: the browser's language, JavaScript on or off, mouse or keyboard; and its own
    people (a staff member and their coach), so that the runs sharing one `make run` do not see each other's work."""

    name: str
    staff: Person
    coach: Person
    evidence_title: str
    locale: str = "en-GB"
    javascript: bool = True
    keyboard: bool = False

    @property
    def language(self) -> str:
        return self.locale.split("-")[0]


COACH = Person("carl", "Carl Coach")
VARIANTS = (
    Variant("english", Person("alice", "Alice Virtanen"), COACH, "Job shadowing in Tallinn, May 2026"),
    Variant(
        "finnish",
        Person("aino", "Aino Korhonen"),
        Person("kaisa", "Kaisa Valmentaja"),
        "Työvarjostus Tallinnassa, toukokuu 2026",
        locale="fi-FI",
    ),
    Variant(
        "no-javascript",
        Person("noor", "Noor de Vries"),
        Person("nils", "Nils Coach"),
        "Erasmus+ mobility to Ghent",
        javascript=False,
    ),
    Variant(
        "keyboard",
        Person("kalle", "Kalle Mäkinen"),
        Person("kim", "Kim Coach"),
        "Staff exchange in Valencia",
        keyboard=True,
    ),
)


def _intercepted(chooser: FileChooser) -> None:
    """Nothing to do: `Journey.attach` takes the chooser through expect_file_chooser."""


@dataclass
class Journey:
    page: Page
    platform: Platform
    variant: Variant
    folder: str
    shots: int = 0

    @classmethod
    def open(cls, new_page: Callable[..., Page], platform: Platform, variant: Variant, folder: str) -> Journey:
        page = new_page(javascript=variant.javascript, locale=variant.locale)
        # Playwright intercepts file choosers only while the page has a "filechooser" listener, and turns that on
        # without waiting for it (a fire-and-forget updateSubscription). Left to expect_file_chooser alone, right
        # before the keyboard's Space, the key could reach Chromium first and open a chooser nobody intercepts (the
        # keyboard run failed so once, its file input focused and no file chosen). A listener from the start keeps
        # interception on long before any file is attached.
        page.on("filechooser", _intercepted)
        return cls(page, platform, variant, folder)

    @property
    def portal(self) -> str:
        return str(self.platform.urls["portal"])

    @property
    def keyboard(self) -> bool:
        return self.variant.keyboard

    @property
    def javascript(self) -> bool:
        return self.variant.javascript

    @cached_property
    def words(self) -> NullTranslations:
        return load_translations(LOCALES_DIR, self.variant.language)

    def _(self, message: str, **values: str) -> str:
        """A text of the portal as the variant's language writes it (the portal's own catalog)."""
        text = self.words.gettext(message)
        return text % values if values else text

    def check(self, name: str) -> None:
        """Every page: axe-core finds nothing, and the page is kept as a screenshot."""
        assert_no_axe_violations(self.page)
        self.shots += 1
        screenshot(self.page, f"portal/{self.folder}/{self.shots:02d}-{name}")

    def activate(self, target: Locator, key: str = "Enter") -> None:
        """Follow a link or press a button: with the keyboard (Tab to it, then the key) or with the mouse."""
        if self.keyboard:
            tab_until_focused(self.page, target)
            assert_focus_visible(self.page)
            self.page.keyboard.press(key)
        else:
            target.click()

    def fill(self, target: Locator, text: str) -> None:
        if self.keyboard:
            tab_until_focused(self.page, target)
            self.page.keyboard.type(text)
        else:
            target.fill(text)

    def choose(self, target: Locator, checked: bool = True) -> None:
        """A radio button or a checkbox (Space toggles it from the keyboard)."""
        if target.is_checked() != checked:
            if self.keyboard:
                tab_until_focused(self.page, target)
                self.page.keyboard.press("Space")
            else:
                target.set_checked(checked)
        expect(target).to_be_checked(checked=checked)

    def attach(self, target: Locator, file: Path) -> None:
        if self.keyboard:
            tab_until_focused(self.page, target)
            with self.page.expect_file_chooser() as chooser:
                self.page.keyboard.press("Space")
            chooser.value.set_files(str(file))
        else:
            target.set_input_files(str(file))


def choose_coach(journey: Journey) -> None:
    """By name once the coach has signed in (the people directory knows them: a list); by staff id before."""
    coach = journey.variant.coach
    field = journey.page.locator("#coach_id")
    if field.evaluate("element => element.tagName") == "SELECT":
        if journey.keyboard:
            tab_until_focused(journey.page, field)
            journey.page.keyboard.type(coach.name)  # a focused list selects the option typed
        else:
            field.select_option(label=coach.name)
    else:
        journey.fill(field, coach.sub)
    expect(field).to_have_value(coach.sub)


def evidence_file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "mobility-certificate.pdf"
    header = b"%PDF-1.7\n% a certificate of the mobility period\n"
    path.write_bytes(header + b"0" * (size - len(header)))
    return path


def sign_in(journey: Journey, person: Person, *, role: str = "staff") -> None:
    """From the front page through the issuer's development sign-in page; a coach lands on their queue."""
    page = journey.page
    page.goto(journey.portal + "/")
    journey.check("front-page")
    journey.activate(page.locator('main a[href="/signin"]'))
    expect(page).to_have_url(re.compile(r"/authorize"))  # the issuer's development sign-in page
    # in the portal's language (the portal asks for it with ui_locales)
    expect(page.locator("html")).to_have_attribute("lang", journey.variant.language)
    if journey.variant.language == "fi":
        expect(page.locator("h1")).to_have_text("Kehityskäytön kirjautuminen")
        expect(page.locator('button[value="sign-in"]')).to_have_text("Kirjaudu sisään")
        expect(page.locator('label[for="role-staff"]')).to_contain_text("Henkilöstön jäsen")
    journey.fill(page.locator("#tenant"), "omnia")
    journey.fill(page.locator("#sub"), person.sub)
    journey.fill(page.locator("#name"), person.name)
    for each in ("staff", "coach"):
        journey.choose(page.locator(f"#role-{each}"), each == role)
    journey.check("development-sign-in")
    journey.activate(page.locator('button[value="sign-in"]'))
    expect(page).to_have_url(journey.portal + ("/coach" if role == "coach" else "/ladder"))
    expect(page.locator(".who")).to_contain_text(person.name)
    expect(page.locator("html")).to_have_attribute("lang", journey.variant.language)


def take_the_self_assessment(journey: Journey) -> None:
    page = journey.page
    assert page.locator(".rung-next").count() == 2  # nothing held yet: each direction's first rung is next
    journey.check("ladder")
    journey.activate(page.locator('a[href="/self-assessment/abroad"]'))
    expect(page).to_have_url(journey.portal + "/self-assessment/abroad")
    journey.check("self-assessment")
    journey.choose(page.locator("#q-mobility-never"))
    journey.choose(page.locator("#q-projects-never"))
    journey.activate(page.locator('main form button[type="submit"]'))
    suggestion = page.locator(".suggestion")
    expect(suggestion).to_be_visible()
    journey.check("self-assessment-suggestion")
    journey.activate(suggestion.locator('a[href="/badges/abroad-rookie"]'))
    expect(page).to_have_url(journey.portal + "/badges/abroad-rookie")


def enrol(journey: Journey) -> None:
    page = journey.page
    words = FRAMEWORK_WORDS[journey.variant.language]
    expect(page.locator("h1")).to_have_text(words.badge_title)
    expect(page.locator("section[aria-labelledby=for-you]")).to_contain_text(words.for_you_if)
    journey.check("badge")
    choose_coach(journey)
    journey.activate(page.locator('form[action="/badges/abroad-rookie/enrol"] button[type="submit"]'))
    expect(page.locator(".notice")).to_be_visible()
    journey.check("badge-enrolled")
    journey.activate(page.locator('main a[href^="/pathways/"]'))
    expect(page).to_have_url(re.compile(r"/pathways/[^/?#]+"))


def complete_the_steps(journey: Journey) -> None:
    page = journey.page
    expect(page.locator("#step-learning-goals")).to_contain_text(FRAMEWORK_WORDS[journey.variant.language].first_step)
    journey.check("pathway")
    for step in ("learning-goals", "take-part"):
        journey.activate(page.locator(f'form[action$="/steps/{step}/complete"] button'))
        expect(page.locator(f"#step-{step}")).to_have_class("step step-done")
    # The coach's step has no button: only the coach's sign-off closes it.
    assert page.locator('form[action$="/steps/coach-debrief/complete"]').count() == 0
    expect(page.locator(".missing li")).to_have_count(2)  # the coach's sign-off and the evidence
    journey.check("pathway-steps-done")


def upload_evidence(journey: Journey, file: Path, title: str) -> None:
    page = journey.page
    form = page.locator("form.upload")
    # The limit is said before the upload starts.
    expect(form.locator("#ev-mobility-file-hint")).to_contain_text(LIMIT_SAID[journey.variant.language])
    journey.fill(form.locator("#ev-mobility-title"), title)
    journey.fill(form.locator("#ev-mobility-description"), "Five days at a partner school, with its certificate.")
    journey.attach(form.locator("#ev-mobility-file"), file)
    # How the form is sent: by the progress-bar script (an XHR) with JavaScript, as a plain form post without it.
    sent_as: list[str] = []

    def record(route: Route) -> None:
        sent_as.append(route.request.resource_type)
        route.continue_()

    page.route("**/pathways/*/evidence", record)
    journey.activate(form.locator('button[type="submit"]'))
    item = page.locator(".evidence-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(title)
    expect(page.locator(".notice[role=status]")).to_be_visible()
    # The day it was sent, as the language writes a date.
    expect(item).to_contain_text(LocaleFormat(journey.variant.language).date(datetime.now(UTC)))
    expect(item).to_contain_text(SIZE_SAID[journey.variant.language])
    page.unroute("**/pathways/*/evidence")
    assert sent_as == ["xhr" if journey.javascript else "document"]
    journey.check("pathway-evidence-sent")


def staff_evidence(platform: Platform, sub: str) -> list[dict[str, object]]:
    headers = platform.token("omnia", sub, ["staff"], ["evidence:read"])
    response = LOOPBACK.get(platform.urls["evidence"] + "/v1/evidence", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def up_to_the_evidence(journey: Journey, tmp_path: Path) -> str:
    """The staff member's part until the evidence is sent; the pathway's address."""
    file = evidence_file(tmp_path, 1536 * 1024)  # 1.5 MiB: below the limit, large enough for the progress bar
    sub, title = journey.variant.staff.sub, journey.variant.evidence_title
    sign_in(journey, journey.variant.staff)
    take_the_self_assessment(journey)
    enrol(journey)
    complete_the_steps(journey)
    upload_evidence(journey, file, title)
    # The evidence service holds the file, every byte of it, for the right requirement.
    [item] = staff_evidence(journey.platform, sub)
    assert (item["badge_id"], item["requirement_id"], item["title"]) == ("abroad-rookie", "mobility", title)
    assert isinstance(item["file"], dict) and item["file"]["size"] == file.stat().st_size
    # Back on the ladder, the rung in progress leads to the pathway.
    page = journey.page
    journey.activate(page.locator('nav a[href="/ladder"]'))
    expect(page.locator("h1")).to_have_text(journey._("My ladder"))
    rung = page.locator(".rung-in_progress a[href^='/pathways/']")
    expect(rung).to_have_count(1)
    journey.check("ladder-in-progress")
    return journey.portal + str(rung.get_attribute("href"))


RETURN_COMMENT = "Add the partner school's confirmation of the dates."


def coach_returns_the_evidence(coach: Journey) -> None:
    page, _ = coach.page, coach._
    staff_name, title = coach.variant.staff.name, coach.variant.evidence_title
    coach.activate(page.locator('nav a[href="/coach"]'))
    expect(page.locator("nav .count")).to_have_text(
        _("(%(sign_offs)s to sign off, %(reviews)s to review)", sign_offs="1", reviews="1")
    )
    expect(page.locator(".queue")).to_contain_text(_("Review: %(title)s", title=title))
    expect(page.locator(".queue")).to_contain_text(staff_name)  # people, not ids
    coach.check("coach-queue")
    coach.activate(page.locator('.queue a[href^="/coach/evidence/"]'))
    expect(page.locator("h1")).to_have_text(_("Evidence: %(title)s", title=title))
    expect(page.locator("main")).to_contain_text("Five days at a partner school")  # the narrative
    expect(page.locator('main a[href*="/v1/blobs/"]')).to_have_count(1)  # the file's time-limited link
    coach.check("coach-evidence")
    # Returning without a comment is refused beside the comment field.
    coach.activate(page.locator("form.decision-returned button"))
    expect(page.locator("#comment-returned-error")).to_be_visible()
    expect(page.locator("#comment-returned")).to_have_attribute("aria-invalid", "true")
    coach.check("coach-evidence-comment-missing")
    coach.fill(page.locator("#comment-returned"), RETURN_COMMENT)
    coach.activate(page.locator("form.decision-returned button"))
    expect(page.locator(".notice[role=status]")).to_contain_text(
        _("The evidence is returned for revision; your comment is shown to its owner.")
    )
    coach.check("coach-evidence-returned")


def staff_resubmits(journey: Journey, pathway_url: str) -> None:
    """From the ladder (where the first part ended) to the pathway, by the rung in progress."""
    page = journey.page
    journey.activate(page.locator(".rung-in_progress a[href^='/pathways/']"))
    expect(page).to_have_url(pathway_url)
    expect(page.locator(".evidence-item .comment")).to_contain_text(RETURN_COMMENT)
    expect(page.locator("form.resubmit")).to_have_count(1)
    expect(page.locator(".more-evidence")).to_have_count(0)  # resubmit, not a new piece of evidence
    journey.check("pathway-returned")
    form = page.locator("form.resubmit")
    journey.fill(form.locator("textarea"), "Five days, with the partner school's confirmation.")
    journey.activate(form.locator('button[type="submit"]'))
    expect(page.locator(".notice[role=status]")).to_contain_text(
        journey._("Your revised evidence has been sent back. Your coach will review it again.")
    )
    journey.check("pathway-resubmitted")


def coach_approves_and_signs_off(coach: Journey) -> None:
    page, _ = coach.page, coach._
    coach.activate(page.locator('nav a[href="/coach"]'))
    expect(page.locator(".queue")).to_contain_text(_("resubmitted"))
    coach.check("coach-queue-resubmitted")
    coach.activate(page.locator('.queue a[href^="/coach/evidence/"]'))
    expect(page.locator(".history")).to_contain_text(_("Resubmitted"))
    expect(page.locator(".history")).to_contain_text(RETURN_COMMENT)
    coach.check("coach-evidence-resubmitted")
    coach.activate(page.locator("form.decision-approved button"))
    expect(page.locator(".notice[role=status]")).to_contain_text(_("The evidence is approved."))
    coach.check("coach-queue-approved")
    coach.activate(page.locator('form[action="/coach/sign-off"] button'))
    expect(page.locator(".notice[role=status]")).to_contain_text(_("The step is signed off."))
    expect(page.locator("main")).to_contain_text(_("Nothing is waiting for you."))
    coach.check("coach-queue-done")


def staff_sees_it_approved(journey: Journey, pathway_url: str) -> None:
    journey.page.reload()  # F5 on the pathway, where the resubmission left the staff member
    expect(journey.page).to_have_url(re.compile("^" + re.escape(pathway_url) + r"([?#]|$)"))
    expect(journey.page.locator(".evidence-item")).to_contain_text(journey._("approved"))
    journey.check("pathway-approved")


MY_BADGES_SECONDS = 120.0  # the events travel evidence -> coaching -> issuer -> coaching; usually a few seconds


def hr_reports_the_mobility(platform: Platform, sub: str) -> None:
    """As the README's API walk-through does it: the HR system's token, a mobility of five days or more."""
    headers = platform.token("omnia", "hris", ["hr-system"], ["hr:write"])
    event = {
        "id": f"HR-{sub}-mobility",
        "type": "mobility.completed",
        "staff_id": sub,
        "occurred_at": "2026-05-29T15:00:00+00:00",
        "fields": {"destination_country": "EE", "duration_days": 5},
    }
    response = LOOPBACK.post(platform.urls["evidence"] + "/v1/hr/events", headers=headers, json=event)
    assert response.status_code in (200, 201, 202), response.text


def wait_for_my_badges(journey: Journey) -> Locator:
    """The badge is signed asynchronously: reload "My badges" until it is there (bounded), as a person would."""
    page = journey.page
    cards = page.locator(".badge-card")
    deadline = time.monotonic() + MY_BADGES_SECONDS
    journey.activate(page.locator('nav a[href="/my-badges"]'))
    while cards.count() == 0 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)  # the poll's interval, not a wait for something to finish
        page.reload()  # F5: no key press of the page's own
    expect(cards, f"no badge under My badges within {MY_BADGES_SECONDS:g}s").to_have_count(1)
    return cards


def issued_credential(platform: Platform, sub: str) -> dict[str, Any]:
    """The staff member's one credential as the issuer's API gives it."""
    headers = platform.token("omnia", sub, ["staff"], ["issuer:read"])
    response = LOOPBACK.get(platform.urls["issuer"] + "/v1/me/credentials", headers=headers)
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert isinstance(item, dict)
    return item


def english(value: Any) -> str:
    """An OB 3.0 name: a string or a language map."""
    return value if isinstance(value, str) else str(value["en"])


def assert_linkedin_link(href: str, item: dict[str, Any]) -> None:
    """Every parameter LinkedIn reads, with the credential's values, each percent-encoded (nothing left raw)."""
    link = urlsplit(href)
    assert (link.scheme, link.netloc, link.path) == ("https", "www.linkedin.com", "/profile/add")
    raw = dict(pair.split("=", 1) for pair in link.query.split("&"))
    credential = item["credential"]
    issued = credential["validFrom"]  # e.g. 2026-12-03T08:40:00Z
    expected = {
        "startTask": "CERTIFICATION_NAME",
        "name": english(credential["credentialSubject"]["achievement"]["name"]),
        # The institution has set no LinkedIn organization id in its issuer profile: its name instead.
        "organizationName": english(credential["issuer"]["name"]),
        "issueYear": str(int(issued[0:4])),
        "issueMonth": str(int(issued[5:7])),
        "certUrl": item["url"],
        "certId": credential["id"],
    }
    assert "validUntil" not in credential  # a Rookie badge does not expire: no expiration parameters
    assert raw == {name: quote(value, safe="") for name, value in expected.items()}
    # The values that need encoding are encoded: a URL inside the URL, the badge's name with its spaces.
    assert "%3A%2F%2F" in raw["certUrl"] and " " not in link.query


def the_journeys_end(journey: Journey) -> None:
    """The HR event arrives; "My badges" shows the badge; it verifies on the public verifier; LinkedIn's link."""
    sub = journey.variant.staff.sub
    hr_reports_the_mobility(journey.platform, sub)
    page = journey.page
    card = wait_for_my_badges(journey)
    item = issued_credential(journey.platform, sub)
    # Titled from the framework in the page's language; the credential keeps its English name, shown beside it
    name = english(item["credential"]["credentialSubject"]["achievement"]["name"])
    expect(card.locator("h2")).to_have_text(FRAMEWORK_WORDS[journey.variant.language].badge_title)
    if journey.variant.language != "en":
        expect(card.locator(".credential-name")).to_contain_text(name)
    expect(card).to_have_class(re.compile(r"\bstatus-valid\b"))
    # The day it was issued, as the language writes a date.
    issued = datetime.fromisoformat(item["credential"]["validFrom"].replace("Z", "+00:00"))
    expect(card).to_contain_text(LocaleFormat(journey.variant.language).date(issued))
    journey.check("my-badges")
    linkedin = card.locator('a[href^="https://www.linkedin.com/profile/add"]')
    assert_linkedin_link(str(linkedin.get_attribute("href")), item)
    verify = card.locator(f'a[href^="{journey.platform.urls["verifier"]}/verify"]')
    expect(verify).to_have_count(1)
    journey.activate(verify)
    expect(page).to_have_url(re.compile("^" + re.escape(journey.platform.urls["verifier"] + "/verify")))
    expect(page.locator("#outcome")).to_have_attribute("data-outcome", "verified", timeout=30_000)
    expect(page.locator("main")).to_contain_text(item["credential"]["id"])
    if journey.variant.language == "fi":
        verifier_details_are_finnish(journey, item)
    journey.check("verifier-verified")
    offer_to_wallet(journey)


def verifier_details_are_finnish(journey: Journey, item: dict[str, Any]) -> None:
    """Each check's outcome on the verifier's page is worded in Finnish (written out here, not taken from the
    verifier's catalog): none of the engine's English messages, which the JSON report keeps, is left."""
    page = journey.page
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    rows = page.locator("table.checks tbody tr")
    expect(rows.locator('[lang="en"]')).to_have_count(0)
    expect(page.locator('tr[data-check="parse"]')).to_contain_text("Osaamismerkki on JSON-objekti.")
    expect(page.locator('tr[data-check="proof"]')).to_contain_text("Allekirjoitus on kelvollinen.")
    expect(page.locator('tr[data-check="status"]')).to_contain_text(
        "Myöntäjä ei ole perunut eikä keskeyttänyt osaamismerkkiä."
    )
    # valid from the moment it was issued, written as Finnish writes a date and time
    issued = datetime.fromisoformat(item["credential"]["validFrom"].replace("Z", "+00:00"))
    validity = page.locator('tr[data-check="validity_period"]')
    expect(validity).to_contain_text(f"Voimassa {issued.day}.{issued.month}.{issued.year} ")
    expect(validity).to_contain_text(" UTC alkaen.")
    report = LOOPBACK.post(journey.platform.urls["verifier"] + "/v1/verify", json=item["credential"]).json()
    details = " ".join(rows.all_inner_texts())
    for check in report["checks"]:
        assert check["message"] not in details, check


def finnish_is_shown(journey: Journey) -> None:
    """The Finnish run reads Finnish, written out here rather than taken from the catalog: the ladder's own words."""
    page = journey.page
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("h1")).to_have_text("Omat tikapuut")
    expect(page.locator("section[aria-labelledby=direction-abroad] .next-step")).to_contain_text("Avaa polkuni")


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_the_whole_staff_journey(
    variant: Variant, new_page: Callable[..., Page], platform: Platform, tmp_path: Path
) -> None:
    # The coach signs in first: from then on the people directory knows them, and the staff member chooses them by
    # name from a list.
    coach = Journey.open(new_page, platform, variant, f"{variant.name}-coach")
    sign_in(coach, variant.coach, role="coach")
    expect(coach.page.locator("main")).to_contain_text(coach._("Nothing is waiting for you."))
    coach.check("coach-queue-empty")
    staff = Journey.open(new_page, platform, variant, variant.name)
    pathway_url = up_to_the_evidence(staff, tmp_path)
    if variant.language == "fi":
        finnish_is_shown(staff)
    coach_returns_the_evidence(coach)
    staff_resubmits(staff, pathway_url)
    coach_approves_and_signs_off(coach)
    staff_sees_it_approved(staff, pathway_url)
    the_journeys_end(staff)


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    new_page: Callable[..., Page], platform: Platform, tmp_path: Path
) -> None:
    """With JavaScript the page refuses it at once; without, the portal refuses it on its declared size. Either way
    the error is beside the file field and no evidence is created."""
    large = evidence_file(tmp_path, UPLOAD_LIMIT_BYTES + 512 * 1024)
    for javascript, sub in ((True, "lena"), (False, "lotta")):
        variant = Variant(f"too-large-{'js' if javascript else 'no-js'}", Person(sub, sub.title()), COACH, "")
        variant = replace(variant, javascript=javascript)
        sign_in(Journey.open(new_page, platform, variant, f"{variant.name}-coach"), COACH, role="coach")
        journey = Journey.open(new_page, platform, variant, variant.name)
        sign_in(journey, variant.staff)
        page = journey.page
        page.goto(journey.portal + "/badges/abroad-rookie")
        choose_coach(journey)
        page.locator('form[action="/badges/abroad-rookie/enrol"] button[type="submit"]').click()
        page.locator('main a[href^="/pathways/"]').click()
        form = page.locator("form.upload")
        form.locator("#ev-mobility-title").fill("A long video")
        form.locator("#ev-mobility-file").set_input_files(str(large))
        form.locator('button[type="submit"]').click()
        error = page.locator("#ev-mobility-file-error")
        expect(error).to_contain_text("The file is larger than 2 MB")
        expect(page.locator("#ev-mobility-file")).to_have_attribute("aria-invalid", "true")
        expect(form.locator("#ev-mobility-title")).to_have_value("A long video")  # what was typed is kept
        journey.check("pathway-file-too-large")
        assert staff_evidence(platform, sub) == []
