"""The development sign-in page in the portal's six languages: the language the client asks for (OpenID Connect's
`ui_locales`), else Accept-Language; a switch that keeps the authorization request; errors beside their fields in
the page's language; every message of the page translated in every language."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from rexvet_common.web_i18n.catalogs import catalog_path
from rexvet_common.web_i18n.languages import LANGUAGES
from rexvet_issuer.token_service import signin_page
from rexvet_issuer.token_service.signin_page import LOCALES_DIR, signin_language

from .harness import Issuer, issuer_service
from .test_dev_openid_provider import CALLBACK, authorization_query, form_fields, pkce

pytestmark = pytest.mark.unit


@pytest.fixture
async def issuer(tmp_path: Path) -> Any:
    async with issuer_service(tmp_path, oidc_redirect_uris=CALLBACK) as running:
        yield running


async def page(issuer: Issuer, headers: dict[str, str] | None = None, **overrides: str) -> str:
    _, challenge = pkce()
    response = await issuer.client.get(
        "/authorize", params=authorization_query(challenge, **overrides), headers=headers
    )
    assert response.status_code == 200, response.text
    return response.text


async def test_the_page_is_finnish_when_the_portal_asks_for_finnish(issuer: Issuer) -> None:
    _, challenge = pkce()
    response = await issuer.client.get(
        "/authorize", params=authorization_query(challenge, ui_locales="fi"), headers={"accept-language": "it"}
    )
    html = response.text
    assert response.headers["content-language"] == "fi"
    assert '<html lang="fi">' in html
    assert "<h1>Kehityskäytön kirjautuminen</h1>" in html
    assert '<label for="tenant">Oppilaitos</label>' in html
    assert '<label for="role-staff">Henkilöstön jäsen <code>staff</code></label>' in html
    assert ">Kirjaudu sisään</button>" in html and ">Peruuta</button>" in html
    assert "Kirjaudutaan palveluun <strong>rexvet-portal</strong>." in html
    assert "<code>REXVET_ENV=development</code>" in html  # the placeholder filled in, not escaped
    for english in ("Development sign-in", "Institution", "Person id", "Sign in<", "Choose one or more"):
        assert english not in html


async def test_accept_language_when_the_client_names_no_language(issuer: Issuer) -> None:
    assert '<html lang="et">' in await page(issuer, headers={"accept-language": "et-EE,et;q=0.9"})
    assert '<html lang="en">' in await page(issuer, headers={"accept-language": "de"})
    # a language the page does not offer, first in ui_locales: the next one, then the browser's
    assert '<html lang="nl">' in await page(issuer, ui_locales="de-DE nl", headers={"accept-language": "es"})
    assert '<html lang="es">' in await page(issuer, ui_locales="de", headers={"accept-language": "es"})


def test_the_language_choice() -> None:
    assert signin_language("fi-FI en", None) == "fi"
    assert signin_language("en fi", "fi") == "en"
    assert signin_language(None, "it-IT,it;q=0.9") == "it"
    assert signin_language("", None) == "en"


async def test_the_switch_keeps_the_authorization_request(issuer: Issuer) -> None:
    html = await page(issuer, ui_locales="fi")
    links = dict(re.findall(r'<a href="(/authorize\?[^"]+)" lang="(\w+)"', html))
    assert set(links.values()) == set(LANGUAGES)
    italian = next(unescape(link) for link, code in links.items() if code == "it")
    query = {k: v[0] for k, v in parse_qs(urlsplit(italian).query).items()}
    assert query["ui_locales"] == "it" and query["state"] == "state-123" and query["redirect_uri"] == CALLBACK
    assert 'hreflang="fi" aria-current="true"' in html
    switched = await issuer.client.get(italian)
    assert switched.status_code == 200 and '<html lang="it">' in switched.text and ">Accedi</button>" in switched.text


async def test_refused_fields_are_explained_in_the_pages_language(issuer: Issuer) -> None:
    html = await page(issuer, ui_locales="fi")
    fields = form_fields(html) | {"action": "sign-in", "tenant": "not valid!", "sub": "alice", "name": ""}
    assert fields["ui_locales"] == "fi"
    response = await issuer.client.post("/authorize", data=fields)
    assert response.status_code == 422
    assert '<html lang="fi">' in response.text
    assert "Kirjautuminen ei voinut jatkua: korjaa alla merkityt kentät." in response.text
    assert '<p class="error" id="name-error">Anna näytettävä nimi, 1–200 merkkiä.</p>' in response.text
    assert '<p class="error" id="roles-error">Valitse yksi tai useampi rooli.</p>' in response.text


def _page_messages() -> set[str]:
    keywords = {"_": None, "N_": None}
    # a call with a variable (`_(ROLE_NAMES[role])`) extracts as no message: its messages are marked with N_
    found = [m[1] for m in extract_from_file("python", signin_page.__file__, keywords=keywords)]
    return {message for message in found if isinstance(message, str)}


def test_the_extraction_finds_the_pages_words() -> None:
    messages = _page_messages()
    assert {"Development sign-in", "Staff member", "Choose one or more roles.", "Cancel", "Sign in"} <= messages
    assert len(messages) == 24


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_every_message_of_the_page_is_translated(language: str) -> None:
    with catalog_path(LOCALES_DIR, language).open("rb") as source:
        catalog = read_po(source, locale=language)
    problems = []
    for message in sorted(_page_messages()):
        entry = catalog.get(message)
        if entry is None or entry.fuzzy or not entry.string:
            problems.append(message)
        elif set(re.findall(r"%\((\w+)\)s", str(entry.string))) != set(re.findall(r"%\((\w+)\)s", message)):
            problems.append(f"placeholders differ: {message}")
    assert not problems, f"{language}: " + "; ".join(problems)
