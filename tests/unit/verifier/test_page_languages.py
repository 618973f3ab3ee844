"""The public pages in the person's language: from Accept-Language, or the switch on every page (remembered in a
cookie); dates for the locale; the JSON API's report stays English whatever the language."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from rexvet_common.web_i18n.languages import LANGUAGE_COOKIE, LANGUAGES

from .credentials import signed, with_status
from .harness import Service
from .page_reader import ResultPage

pytestmark = pytest.mark.unit

FINNISH = {"accept-language": "fi-FI,fi;q=0.9,en;q=0.5"}


def chosen(language: str) -> dict[str, str]:
    """The cookie the switch sets, as the browser sends it back."""
    return {"cookie": f"{LANGUAGE_COOKIE}={language}"}


async def post_form(service: Service, text: str, headers: dict[str, str] | None = None) -> str:
    files = {"image": ("", b"", "application/octet-stream")}
    response = await service.client.post("/verify", data={"credential": text}, files=files, headers=headers)
    return response.text


async def test_the_form_follows_accept_language(service: Service) -> None:
    response = await service.client.get("/", headers=FINNISH)
    assert response.status_code == 200
    assert '<html lang="fi">' in response.text
    assert "<h1>Tarkista Open Badge -merkki</h1>" in response.text
    assert '<label for="credential">Osaamismerkki (JSON tai VC-JWT)</label>' in response.text
    assert response.headers["content-language"] == "fi"
    assert "Accept-Language" in response.headers["vary"] and "Cookie" in response.headers["vary"]


async def test_an_unknown_language_falls_back_to_english(service: Service) -> None:
    response = await service.client.get("/", headers={"accept-language": "de-DE,de;q=0.9"})
    assert '<html lang="en">' in response.text and "<h1>Verify an Open Badge</h1>" in response.text


@pytest.mark.parametrize("language", sorted(LANGUAGES))
async def test_every_page_offers_every_language(service: Service, language: str) -> None:
    response = await service.client.get("/", headers=chosen(language))
    assert f'<html lang="{language}">' in response.text
    for code, name in LANGUAGES.items():
        link = f'<a href="/language/{code}?next=/" lang="{code}" hreflang="{code}"'
        assert link in response.text and f">{name}</a>" in response.text
    assert f'hreflang="{language}" aria-current="true"' in response.text  # the page's own language is marked


async def test_the_switch_is_remembered_and_leads_back(service: Service) -> None:
    response = await service.client.get("/language/et", params={"next": "/verify?url=https://x.example/b.json"})
    assert response.status_code == 303
    assert response.headers["location"] == "/verify?url=https://x.example/b.json"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=et;") and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # development: plain http on 127.0.0.1
    # the cookie beats Accept-Language
    page = await service.client.get("/", headers=FINNISH | chosen("et"))
    assert '<html lang="et">' in page.text and "<h1>Kontrolli Open Badge'i</h1>" in page.text


async def test_the_switch_never_leads_off_the_site_nor_sets_an_unknown_language(service: Service) -> None:
    away = await service.client.get("/language/fi", params={"next": "//evil.example/"})
    assert away.status_code == 303 and away.headers["location"] == "/"
    unknown = await service.client.get("/language/xx")
    assert unknown.status_code == 303 and "set-cookie" not in unknown.headers


async def test_the_result_in_finnish(service: Service) -> None:
    credential = signed()
    text = await post_form(service, json.dumps(credential), headers=FINNISH)
    page = ResultPage(text)
    assert page.outcome is not None and page.outcome.attrs["data-outcome"] == "verified"
    assert "Varmennettu" in page.outcome.words
    assert "Osaamismerkki on aito ja voimassa, mutta lue alla olevat varoitukset." in page.outcome.words
    assert '<th scope="row">Allekirjoitus</th>' in text  # a check title from the registry, translated
    assert "hyväksytty" in page.rows["proof"].words  # the outcome word
    assert "<title>Varmennettu · rexvet</title>" in text
    # every check's outcome is worded in Finnish too: no English message of the engine is left on the page
    assert "Allekirjoitus on kelvollinen." in page.rows["proof"].words
    assert "Osaamismerkki on JSON-objekti." in page.rows["parse"].words
    assert "Voimassa " in page.rows["validity_period"].words
    assert "Myöntäjän profiilissa on nimi." in page.rows["issuer_name"].words
    english = (await service.client.post("/v1/verify", json=credential)).json()["checks"]
    assert {c["id"] for c in english} == set(page.rows)
    for check in english:
        assert check["message"] not in page.rows[check["id"]].words, check["id"]
    assert '<span lang="en">' not in text


async def test_an_incomplete_result_in_spanish(service: Service) -> None:
    text = await post_form(service, json.dumps(with_status()), headers={"accept-language": "es"})
    page = ResultPage(text)
    assert page.outcome is not None and page.outcome.attrs["data-outcome"] == "incomplete"
    assert "No se ha podido verificar por completo" in page.outcome.words
    assert "no comprobada" in page.rows["status"].words


async def test_dates_are_written_for_the_locale(service: Service) -> None:
    from .test_pages import with_level as stated_level  # the credential with a level and validFrom 2026-01-15T09:00Z

    credential = json.dumps(signed(stated_level()))
    finnish = await post_form(service, credential, headers=FINNISH)
    assert '<time datetime="2026-01-15T09:00:00Z">15.1.2026 9.00.00 UTC</time>' in finnish
    dutch = await post_form(service, credential, headers={"accept-language": "nl"})
    assert '<time datetime="2026-01-15T09:00:00Z">15 jan 2026, 09:00:00 UTC</time>' in dutch


async def test_a_refused_form_says_why_in_the_language(service: Service) -> None:
    text = await post_form(service, "", headers={"accept-language": "it"})
    assert str(escape("Incolla una credenziale o scegli l'immagine di un badge, poi premi Verifica.")) in text
    assert "Impossibile leggerlo" in text
    assert '<span lang="en">paste a credential' in text  # the engine's reason, as the JSON API gives it


async def test_the_json_report_stays_english(service: Service) -> None:
    english = await service.client.post("/v1/verify", json=signed())
    finnish = await service.client.post("/v1/verify", json=signed(), headers=FINNISH | chosen("fi"))
    assert finnish.status_code == english.status_code == 200
    assert finnish.json() == english.json()
    assert "content-language" not in finnish.headers


async def test_an_image_without_a_credential_is_explained_in_the_language(service: Service) -> None:
    plain = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'
    response = await service.client.post(
        "/verify",
        data={"credential": ""},
        files={"image": ("plain.svg", plain, "image/svg+xml")},
        headers={"accept-language": "nl-NL"},
    )
    assert response.status_code == 400
    assert "De afbeelding bevat geen leesbare credential" in response.text
    assert '<span lang="en">the image carries no readable credential' in response.text
