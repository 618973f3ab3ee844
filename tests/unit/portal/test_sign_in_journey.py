"""The whole sign-in in-process: portal -> issuer /authorize -> development form -> callback -> session -> pages."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from rexvet_portal.adapters.session_store import SESSIONS

from .harness import ISSUER, PORTAL, World, hidden_fields, set_cookie_headers, world

pytestmark = pytest.mark.unit


async def test_signed_out_front_page_offers_sign_in(w: World) -> None:
    page = await w.browser.get(PORTAL + "/")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert 'href="/signin"' in page.text
    assert 'href="#content"' in page.text and '<main id="content"' in page.text


async def test_sign_in_then_the_ladder_shows_the_persons_data_from_coaching(w: World) -> None:
    ladder = await w.sign_in(sub="alice", name="Alice Virtanen")
    assert ladder.status_code == 200, ladder.text
    assert str(ladder.url) == PORTAL + "/ladder"
    assert "Alice Virtanen" in ladder.text and "Staff member" in ladder.text
    # Nothing held yet: each direction's first rung is next, the rest locked, the next step in words.
    assert ladder.text.count("rung rung-next") == 2
    assert ladder.text.count("rung rung-locked") == 4
    assert "Enrol in Internationalisation Abroad - Rookie to reach the next level in Abroad." in ladder.text
    assert 'href="/badges/abroad-rookie"' in ladder.text

    badge = await w.browser.get(PORTAL + "/badges/abroad-rookie")
    assert badge.status_code == 200
    assert "This module is for you if" in badge.text and "Learning outcomes" in badge.text
    fields = hidden_fields(badge.text)
    enrolled = await w.browser.post(
        PORTAL + "/badges/abroad-rookie/enrol", data={"csrf_token": fields["csrf_token"], "coach_id": "carl"}
    )
    assert enrolled.status_code == 200
    assert "You are enrolled." in enrolled.text
    # The ladder now reads coaching's record of the enrolment: Abroad's first rung is in progress.
    after = await w.browser.get(PORTAL + "/ladder")
    assert after.text.count("rung rung-in_progress") == 1
    assert after.text.count("rung rung-next") == 1
    assert "Next in Internationalisation Abroad - Rookie:" in after.text


async def test_the_session_cookie_holds_only_an_id_and_the_session_lives_on_the_server(w: World) -> None:
    await w.browser.get(PORTAL + "/ladder")
    # Follow the sign-in by hand to read the callback's Set-Cookie.
    form = await w.browser.get(PORTAL + "/ladder")
    fields = hidden_fields(form.text) | {"action": "sign-in", "tenant": "omnia", "sub": "bob", "name": "Bob"}
    fields["roles"] = ["staff"]
    to_callback = await w.browser.post(ISSUER + "/authorize", data=fields, follow_redirects=False)
    callback = await w.browser.get(to_callback.headers["location"], follow_redirects=False)
    assert callback.status_code == 303
    cookie = next(header for header in set_cookie_headers(callback) if header.startswith("rexvet_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # development over http; production sets Secure
    session_id = w.cookie("rexvet_session")
    assert session_id is not None and len(session_id) >= 40
    stored = await w.portal_documents.get(SESSIONS, hashlib.sha256(session_id.encode()).hexdigest())
    assert stored is not None and stored["person"]["sub"] == "bob"
    assert await w.portal_documents.get(SESSIONS, session_id) is None  # only a hash of the id is a key


async def test_sign_out_ends_the_session_on_the_server(w: World) -> None:
    ladder = await w.sign_in()
    session_id = w.cookie("rexvet_session")
    assert session_id is not None
    csrf = hidden_fields(ladder.text)["csrf_token"]
    out = await w.browser.post(PORTAL + "/signout", data={"csrf_token": csrf})
    assert str(out.url) == PORTAL + "/"
    assert await w.portal_documents.count(SESSIONS) == 0
    # The old cookie, replayed, is no session: the page sends the person to sign in.
    w.browser.cookies.set("rexvet_session", session_id, domain="portal.test")
    again = await w.browser.get(PORTAL + "/ladder", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/signin")


async def test_a_form_without_its_csrf_token_is_refused(w: World) -> None:
    await w.sign_in()
    refused = await w.browser.post(PORTAL + "/badges/abroad-rookie/enrol", data={"coach_id": "carl"})
    assert refused.status_code == 403
    assert "This form has expired" in refused.text
    wrong = await w.browser.post(PORTAL + "/signout", data={"csrf_token": "not-the-token"})
    assert wrong.status_code == 403
    assert await w.portal_documents.count(SESSIONS) == 1  # still signed in


async def test_a_callback_with_another_browsers_state_is_refused(w: World) -> None:
    await w.browser.get(PORTAL + "/ladder")  # this browser's sign-in is pending
    callback = await w.browser.get(PORTAL + "/auth/callback?state=someone-elses&code=stolen")
    assert callback.status_code == 400
    assert "Sign-in did not succeed" in callback.text
    assert w.cookie("rexvet_session") is None


async def test_a_cancelled_sign_in_says_so(w: World) -> None:
    form = await w.browser.get(PORTAL + "/ladder")
    fields = hidden_fields(form.text) | {"action": "cancel"}
    page = await w.browser.post(ISSUER + "/authorize", data=fields)
    assert page.status_code == 400
    assert "Sign in again" in page.text


async def test_the_session_cookie_is_secure_where_the_portal_is_served_over_https(tmp_path: Path) -> None:
    async with world(tmp_path, portal_url="https://portal.test", cookie_secure=True) as secure:
        form = await secure.browser.get("https://portal.test/ladder")
        fields = hidden_fields(form.text) | {"action": "sign-in", "tenant": "omnia", "sub": "bob", "name": "Bob"}
        fields["roles"] = ["staff"]
        to_callback = await secure.browser.post(ISSUER + "/authorize", data=fields, follow_redirects=False)
        callback = await secure.browser.get(to_callback.headers["location"], follow_redirects=False)
    cookie = next(header for header in set_cookie_headers(callback) if header.startswith("rexvet_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie


async def test_the_provider_is_asked_for_the_pages_language_and_the_sign_in_page_is_finnish(w: World) -> None:
    """The portal sends OpenID Connect's `ui_locales` with its page's language; the development provider's sign-in
    page follows it (the browser's own Accept-Language says Italian here)."""
    w.browser.cookies.set("rexvet_lang", "fi", domain="portal.test")
    form_page = await w.browser.get(PORTAL + "/ladder", headers={"Accept-Language": "it"})
    assert str(form_page.url).startswith(ISSUER + "/authorize")
    assert parse_qs(urlsplit(str(form_page.url)).query)["ui_locales"] == ["fi"]
    assert '<html lang="fi">' in form_page.text and "<h1>Kehityskäytön kirjautuminen</h1>" in form_page.text
    fields = hidden_fields(form_page.text)
    fields |= {"action": "sign-in", "tenant": "omnia", "sub": "alice", "name": "Alice Virtanen", "roles": ["staff"]}
    ladder = await w.browser.post(ISSUER + "/authorize", data=fields)
    assert ladder.status_code == 200 and '<html lang="fi">' in ladder.text and "Omat tikapuut" in ladder.text
