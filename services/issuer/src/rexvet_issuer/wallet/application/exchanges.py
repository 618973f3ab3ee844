"""The VC-API exchange of the Learner Credential Wallet (domain/exchange.py): the presentation request, then the
badge bound to the DID whose DIDAuth presentation answered it. Answering spends the offer, as the token does."""

from __future__ import annotations

import asyncio
from typing import Any

from rexvet_issuer.wallet.application.issuing import WalletIssuance
from rexvet_issuer.wallet.application.offers import WalletOffers
from rexvet_issuer.wallet.domain.exchange import ExchangeRefused, authenticated_holder, presentation_request
from rexvet_issuer.wallet.domain.metadata import LDP_VC

VP_CONTEXT = "https://www.w3.org/ns/credentials/v2"


class ExchangeGone(Exception):
    """No open exchange at this URL: unknown, expired, used, replaced, or an offer that needs a tx_code."""


class WalletExchanges:
    def __init__(self, offers: WalletOffers, issuance: WalletIssuance) -> None:
        self.offers = offers
        self.issuance = issuance

    async def step(
        self, institution: str, exchange_id: str, exchange_url: str, domain: str, body: Any
    ) -> dict[str, Any]:
        offer = await self.offers.exchangeable(institution, exchange_id)
        if offer is None:
            raise ExchangeGone("no open exchange here: it expired, was used or was replaced; ask for a new link")
        presentation = body.get("verifiablePresentation") if isinstance(body, dict) else None
        if presentation is None:
            return presentation_request(exchange_url, offer["challenge"], domain)
        holder = await asyncio.to_thread(
            authenticated_holder, presentation, challenge=offer["challenge"], domain=domain
        )
        badge = await self.issuance.badge(institution, offer["credential_uuid"])
        copy = await self.issuance.sign_copy(badge, holder, LDP_VC)
        await self.offers.spend(offer, {"issued_at": copy.record["issued_at"], "wallet_copy": copy.record["_id"]})
        await self.issuance.record_exchange_copy(copy, exchange_id)
        return {
            "verifiablePresentation": {
                "@context": [VP_CONTEXT],
                "type": ["VerifiablePresentation"],
                "verifiableCredential": [copy.credential],
            }
        }


__all__ = ["ExchangeGone", "ExchangeRefused", "WalletExchanges"]
