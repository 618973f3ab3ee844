"""The portal's pages against real services: languages, error pages, my badges with their links."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from babel.dates import format_date
from issuer.harness import eligible  # the issuer tests' package (tests/unit is on the path)

from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.auth.verifier import TokenVerifier

from .harness import AUDIENCE, ISSUER, PORTAL, VERIFIER, World, world

pytestmark = pytest.mark.unit


async def test_the_language_comes_from_accept_language_and_the_switch_is_remembered(w: World) -> None:
    finnish = await w.browser.get(PORTAL + "/", headers={"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"})
    assert '<html lang="fi">' in finnish.text
    assert "Kirjaudu sisään" in finnish.text and "Siirry sisältöön" in finnish.text
    assert finnish.headers["content-language"] == "fi"
    # Every page links to the six languages, each named in itself.
    for code, name in (("en", "English"), ("et", "Eesti"), ("it", "Italiano"), ("nl", "Nederlands"), ("es", "Español")):
        assert f'href="/language/{code}?next=/"' in finnish.text and name in finnish.text
    switched = await w.browser.get(PORTAL + "/language/es?next=/", headers={"Accept-Language": "fi"})
    assert str(switched.url) == PORTAL + "/"
    assert '<html lang="es">' in switched.text and "Iniciar sesión" in switched.text
    # Remembered over the browser's own preference.
    later = await w.browser.get(PORTAL + "/", headers={"Accept-Language": "fi"})
    assert '<html lang="es">' in later.text


async def test_the_switch_never_redirects_off_the_portal(w: World) -> None:
    response = await w.browser.get(PORTAL + "/language/fi?next=//evil.test/", follow_redirects=False)
    assert response.headers["location"] == "/"


async def test_the_ladder_in_finnish(w: World) -> None:
    w.browser.cookies.set("rexvet_lang", "fi", domain="portal.test")
    ladder = await w.sign_in()
    assert '<html lang="fi">' in ladder.text
    assert "Omat tikapuut" in ladder.text and "Seuraavaksi" in ladder.text and "Lukittu" in ladder.text
    assert "Henkilöstön jäsen" in ladder.text


async def test_an_unknown_badge_is_a_404_page(w: World) -> None:
    await w.sign_in()
    page = await w.browser.get(PORTAL + "/badges/no-such-badge")
    assert page.status_code == 404
    assert "Not found" in page.text and "Traceback" not in page.text
    assert "Alice Virtanen" in page.text  # still signed in, still the whole page frame


async def test_an_unknown_address_is_a_404_page(w: World) -> None:
    page = await w.browser.get(PORTAL + "/nowhere")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html") and "Not found" in page.text


async def test_a_role_coaching_refuses_gets_the_not_allowed_page(w: World) -> None:
    page = await w.sign_in(sub="cora", name="Cora", roles=("consortium-admin",))
    assert page.status_code == 403
    assert "Not allowed" in page.text and "Consortium admin" in page.text


async def test_a_service_down_is_a_503_page_that_says_so(tmp_path: Path) -> None:
    async with world(tmp_path, coaching_url="https://down.test") as down:
        page = await down.sign_in()
    assert page.status_code == 503
    assert "Temporarily unavailable" in page.text and "(coaching)" in page.text
    assert "Traceback" not in page.text and "ConnectError" not in page.text


async def test_signed_out_pages_send_the_person_to_sign_in_and_back(w: World) -> None:
    response = await w.browser.get(PORTAL + "/my-badges", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin?next=" + quote(
        "/my-badges", safe=""
    )
    page = await w.sign_in(path="/my-badges")
    assert str(page.url) == PORTAL + "/my-badges"
    assert "You have no badges yet." in page.text


async def test_my_badges_shows_each_badge_with_its_links(w: World) -> None:
    await w.issuer.publish_eligible(eligible("alice"))
    await w.issuer.settled()
    page = await w.sign_in(path="/my-badges")
    assert page.status_code == 200, page.text
    listing = (await w.issuer.client.get("/v1/me/credentials", headers=w.issuer.auth("alice"))).json()["items"][0]
    url = listing["url"]
    assert "You have 1 badge." in page.text
    assert f'src="{url}/image.svg"' in page.text
    assert f'href="{url}/image.png" download' in page.text and f'href="{url}" download' in page.text
    assert f'href="{VERIFIER}/verify?url={quote(url, safe="")}"' in page.text
    linkedin = next(
        part.split('"')[0] for part in page.text.split('href="') if part.startswith("https://www.linkedin.com/")
    )
    query = parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)
    credential = listing["credential"]
    issued = credential["validFrom"]
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == [credential["credentialSubject"]["achievement"]["name"]]
    assert query["organizationName"] == [credential["issuer"]["name"]]
    assert query["issueYear"] == [str(int(issued[:4]))] and query["issueMonth"] == [str(int(issued[5:7]))]
    assert query["certUrl"] == [url] and query["certId"] == [listing["credential_id"]]
    assert "expirationYear" not in query  # the badge does not expire
    # Dates as the person's language writes them.
    w.browser.cookies.set("rexvet_lang", "fi", domain="portal.test")
    finnish = await w.browser.get(PORTAL + "/my-badges")
    issued_at = datetime.fromisoformat(issued.replace("Z", "+00:00"))
    assert format_date(issued_at, format="long", locale="fi") in finnish.text
    assert "Sinulla on 1 merkki." in finnish.text


async def test_the_linkedin_link_names_the_organization_id_the_institution_set(w: World) -> None:
    admin = w.issuer.auth("ada", "institution-admin")
    profile = {"name": "Omnia", "linkedin_organization_id": "2414183"}
    assert (await w.issuer.client.put("/v1/issuer/profile", json=profile, headers=admin)).status_code == 200
    await w.issuer.publish_eligible(eligible("alice"))
    await w.issuer.settled()
    page = await w.sign_in(path="/my-badges")
    linkedin = next(
        part.split('"')[0] for part in page.text.split('href="') if part.startswith("https://www.linkedin.com/")
    )
    query = parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)
    assert query["organizationId"] == ["2414183"] and "organizationName" not in query


async def test_a_revoked_badge_is_shown_as_revoked(w: World) -> None:
    await w.issuer.publish_eligible(eligible("alice"))
    await w.issuer.settled()
    listing = (await w.issuer.client.get("/v1/me/credentials", headers=w.issuer.auth("alice"))).json()["items"][0]
    revoked = await w.issuer.client.post(
        f"/v1/credentials/{listing['id']}/revoke", headers=w.issuer.auth("ada", "institution-admin"), json={}
    )
    assert revoked.status_code == 200, revoked.text
    page = await w.sign_in(path="/my-badges")
    assert "This badge has been revoked" in page.text
    assert "https://www.linkedin.com/" not in page.text


async def test_a_token_a_service_refuses_ends_the_session_instead_of_looping(w: World) -> None:
    await w.sign_in()
    # The issuer's API stops trusting the session's token (as after a key rotation at the provider).
    w.issuer.app.state.token_verifier = TokenVerifier(
        StaticJwks(lambda: {"keys": []}), issuer=ISSUER, audience=AUDIENCE
    )
    page = await w.browser.get(PORTAL + "/my-badges", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")
    assert await w.portal_documents.count("portal_sessions") == 0


async def test_the_frameworks_words_follow_the_page_language(w: World) -> None:
    """The portal asks coaching in the page's language: a Finnish page shows the badge and its module in Finnish,
    the ladder too; an Estonian page, with no Estonian translation of the framework, shows them in English."""
    await w.sign_in()
    finnish = await w.browser.get(PORTAL + "/badges/abroad-rookie", headers={"Accept-Language": "fi"})
    assert '<html lang="fi">' in finnish.text
    assert "Kansainvälistyminen ulkomailla – noviisi" in finnish.text
    assert "haluat nähdä, miten ammatillinen koulutus toimii toisessa maassa" in finnish.text  # "for you if"
    assert "Kirjoita oppimistavoitteesi" in finnish.text  # a step
    assert "Internationalisation Abroad - Rookie" not in finnish.text
    ladder = await w.browser.get(PORTAL + "/ladder", headers={"Accept-Language": "fi"})
    assert "Kansainvälistyminen kotimaassa – noviisi" in ladder.text
    estonian = await w.browser.get(PORTAL + "/badges/abroad-rookie", headers={"Accept-Language": "et"})
    assert '<html lang="et">' in estonian.text and "Internationalisation Abroad - Rookie" in estonian.text


async def test_my_badges_in_finnish_titles_each_badge_from_the_framework(w: World) -> None:
    """The credential stays English as issued; a Finnish page titles it from the framework's Finnish translation,
    keeps the credential's own name visible, and the LinkedIn link keeps the credential's name."""
    await w.issuer.publish_eligible(eligible("alice"))
    await w.issuer.settled()
    await w.sign_in(path="/my-badges")
    listing = (await w.issuer.client.get("/v1/me/credentials", headers=w.issuer.auth("alice"))).json()["items"][0]
    name = listing["credential"]["credentialSubject"]["achievement"]["name"]
    assert name == "Internationalisation Abroad - Rookie"
    w.browser.cookies.set("rexvet_lang", "fi", domain="portal.test")
    finnish = await w.browser.get(PORTAL + "/my-badges")
    assert "<h2>Kansainvälistyminen ulkomailla – noviisi</h2>" in finnish.text
    assert f'Nimi osaamismerkissä: <span lang="en">{name}</span>' in finnish.text
    assert '<span class="visually-hidden"> – Kansainvälistyminen ulkomailla – noviisi</span>' in finnish.text
    linkedin = next(
        part.split('"')[0] for part in finnish.text.split('href="') if part.startswith("https://www.linkedin.com/")
    )
    assert parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)["name"] == [name]
    # English: the framework's title is the credential's name, said once
    w.browser.cookies.set("rexvet_lang", "en", domain="portal.test")
    english = await w.browser.get(PORTAL + "/my-badges")
    assert f"<h2>{name}</h2>" in english.text and "Name on the credential:" not in english.text
