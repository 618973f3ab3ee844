"""The shared page languages (rexvet_common.web_i18n): negotiation, the switch's redirect and the catalogs' writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from rexvet_common.web_i18n.catalogs import catalog_path, load_translations, write_catalogs
from rexvet_common.web_i18n.languages import LocaleFormat, choose_language, parse_accept_language
from rexvet_common.web_i18n.switch import local_path, switch_language

pytestmark = pytest.mark.unit


def test_accept_language_is_read_by_its_q_values() -> None:
    assert parse_accept_language("en;q=0.3, fi-FI, et;q=0.8, *;q=0.1, nl;q=0") == ["fi_FI", "et", "en"]
    assert parse_accept_language(None) == []


@pytest.mark.parametrize(
    ("cookie", "header", "chosen"),
    [
        (None, "fi-FI,fi;q=0.9", "fi"),
        (None, "sv-SE, es-MX;q=0.5", "es"),  # a regional tag finds its language
        (None, "de-DE", "en"),  # not offered: English
        ("et", "fi-FI", "et"),  # the switch's cookie beats the browser
        ("xx", "it", "it"),  # an unknown cookie is ignored
    ],
)
def test_the_language_is_chosen(cookie: str | None, header: str, chosen: str) -> None:
    assert choose_language(cookie, header) == chosen


def test_dates_and_numbers_for_the_locale() -> None:
    moment = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    assert LocaleFormat("fi").date(moment) == "3. joulukuuta 2026"
    assert LocaleFormat("es").date(moment) == "3 de diciembre de 2026"
    # English in British form, day first, for the European partners (not Babel's American "December 3, 2026")
    assert LocaleFormat("en").date(moment) == "3 December 2026"
    assert LocaleFormat("en").datetime(moment) == "3 Dec 2026, 09:30:00"
    assert LocaleFormat("nl").number(12345.5) == "12.345,5"


def test_a_time_of_day_names_its_time_zone() -> None:
    helsinki = datetime(2026, 12, 3, 11, 30, tzinfo=timezone(timedelta(hours=2)))  # 09:30 UTC
    assert LocaleFormat("en").utc_datetime(helsinki) == "3 Dec 2026, 09:30:00 UTC"  # British English
    assert LocaleFormat("fi").utc_datetime(helsinki) == "3.12.2026 9.30.00 UTC"
    assert LocaleFormat("it").utc_datetime(datetime(2026, 12, 3, 23, 30, tzinfo=timezone(timedelta(hours=-2)))) == (
        "4 dic 2026, 01:30:00 UTC"  # the day is the UTC day too
    )


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/", "/\\evil.example", "", None])
def test_the_switch_leads_back_only_to_this_site(path: str | None) -> None:
    assert local_path(path) == "/"
    assert switch_language("fi", path, secure=True).headers["location"] == "/"


def test_the_switch_remembers_a_known_language_only() -> None:
    response = switch_language("nl", "/verify?url=x", secure=True)
    assert response.status_code == 303 and response.headers["location"] == "/verify?url=x"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("rexvet_lang=nl;") and "Secure" in cookie and "SameSite=lax" in cookie
    assert "set-cookie" not in switch_language("xx", "/", secure=True).headers


def test_written_catalogs_translate_and_stay_unchanged_when_rewritten(tmp_path: Path) -> None:
    def write() -> None:
        write_catalogs(
            tmp_path,
            project="test",
            languages=("fi", "es"),
            messages={"Verify": ("Tarkista", "Verificar")},
            plurals={("%(num)s badge", "%(num)s badges"): (("%(num)s merkki", "%(num)s merkkiä"), ("a", "b", "c"))},
        )

    write()
    first = catalog_path(tmp_path, "fi").read_bytes()
    write()
    assert catalog_path(tmp_path, "fi").read_bytes() == first  # a fixed date: no churn in git
    with catalog_path(tmp_path, "fi").open("rb") as source:
        assert not any(message.fuzzy for message in read_po(source) if message.id)
    finnish = load_translations(tmp_path, "fi")
    assert finnish.gettext("Verify") == "Tarkista"
    assert finnish.ngettext("%(num)s badge", "%(num)s badges", 2) == "%(num)s merkkiä"
    assert load_translations(tmp_path, "en").gettext("Verify") == "Verify"  # English is the source
