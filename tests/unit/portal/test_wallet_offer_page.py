"""My badges -> "Add to a wallet": the portal shows a one-time OpenID4VCI offer as a link and a QR code."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from issuer.harness import eligible  # the issuer tests' package (tests/unit is on the path)

from .harness import PORTAL, World, hidden_fields

pytestmark = pytest.mark.unit


async def _my_badges(w: World) -> tuple[str, str]:
    await w.issuer.publish_eligible(eligible("alice"))
    await w.issuer.settled()
    page = await w.sign_in(path="/my-badges")
    assert page.status_code == 200, page.text
    [action] = re.findall(r'<form method="post" action="(/my-badges/[0-9a-f-]+/wallet)"', page.text)
    return action, hidden_fields(page.text)["csrf_token"]


async def test_a_staff_member_gets_a_wallet_offer_link_and_qr_code(w: World) -> None:
    action, csrf = await _my_badges(w)
    page = await w.browser.post(PORTAL + action, data={"csrf_token": csrf, "tx_code": "1"})
    assert page.status_code == 200, page.text
    [link] = re.findall(r'<a href="(openid-credential-offer://[^"]+)"', page.text)
    link = html.unescape(link)
    assert '<svg aria-hidden="true"' in page.text and 'role="img" aria-label="QR code of the wallet offer"' in page.text
    [code] = re.findall(r'<strong class="tx-code">(\d{6})</strong>', page.text)
    # the QR code is the very link (segno draws the same matrix for the same text)
    expected = segno.make(link, error="m", micro=False).svg_inline(scale=4, border=4, dark="#000", light="#fff")
    assert expected.split(">", 1)[1] in page.text
    [uri] = parse_qs(urlsplit(link).query)["credential_offer_uri"]
    offer = (await w.issuer.client.get(uri)).json()
    grant = offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]
    assert grant["tx_code"]["length"] == len(code)
    assert "lcw.app" not in page.text  # the wallet could not send the code: no exchange for such an offer
    assert re.search(r"expires at [^<]*:\d\d[^<]* UTC\.", page.text), page.text  # the time says which zone it is in


async def test_without_a_code_the_learner_credential_wallet_link_is_offered_too(w: World) -> None:
    action, csrf = await _my_badges(w)
    page = await w.browser.post(PORTAL + action, data={"csrf_token": csrf})
    assert page.status_code == 200, page.text
    [lcw] = re.findall(r'<a href="(https://lcw.app/request.html\?request=[^"]+)"', page.text)
    [request] = parse_qs(urlsplit(html.unescape(lcw)).query)["request"]
    exchange = json.loads(request)["protocols"]["vcapi"]
    vpr = (await w.issuer.client.post(exchange, json={})).json()["verifiablePresentationRequest"]
    assert vpr["query"][0]["type"] == "DIDAuthentication"
    assert 'aria-label="QR code for the Learner Credential Wallet"' in page.text


async def test_the_offer_needs_the_form_token(w: World) -> None:
    action, _ = await _my_badges(w)
    refused = await w.browser.post(PORTAL + action, data={"csrf_token": "forged"})
    assert refused.status_code == 403


async def test_another_persons_badge_is_not_offered(w: World) -> None:
    action, csrf = await _my_badges(w)
    other = action.replace(action.split("/")[2], "00000000-0000-4000-8000-000000000000")
    page = await w.browser.post(PORTAL + other, data={"csrf_token": csrf})
    assert page.status_code == 404
