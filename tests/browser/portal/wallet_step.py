"""The journey's last step: My badges -> "Add to a wallet", the one-time offer page (axe-clean), its links."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

if TYPE_CHECKING:
    from .test_staff_journey import Journey


def offer_to_wallet(journey: Journey) -> None:
    page = journey.page
    page.goto(journey.portal + "/my-badges")
    journey.activate(page.locator(".wallet-form button[type=submit]"))
    expect(page.locator(".qr-code svg")).to_have_count(2)  # OpenID4VCI and the Learner Credential Wallet
    journey.check("wallet-offer")
    link = str(page.locator('a[href^="openid-credential-offer://"]').get_attribute("href"))
    [uri] = parse_qs(urlsplit(link).query)["credential_offer_uri"]
    assert uri.startswith(journey.platform.urls["issuer"] + "/v1/issuers/omnia/oid4vci/offers/")
    expect(page.locator("#offer-link")).to_have_value(link)
    expect(page.locator('a[href^="https://lcw.app/request.html?request="]')).to_have_count(1)
