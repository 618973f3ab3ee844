"""The wallet hand-off's parts as the issuer's context holds them, built once in bootstrap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rexvet_common.ports.document_store import DocumentStore
from rexvet_issuer.application.credentials import IssuedCredentials
from rexvet_issuer.application.issuers import IssuerRegistry
from rexvet_issuer.application.status_lists import StatusLists
from rexvet_issuer.wallet.application.exchanges import WalletExchanges
from rexvet_issuer.wallet.application.issuing import WalletIssuance
from rexvet_issuer.wallet.application.nonces import Nonces, nonce_key
from rexvet_issuer.wallet.application.offers import WalletOffers
from rexvet_issuer.wallet.application.rate_limit import RateLimiter


@dataclass
class Wallet:
    offers: WalletOffers
    nonces: Nonces
    issuance: WalletIssuance
    exchanges: WalletExchanges
    limiter: RateLimiter
    base_url: str


async def wallet_hand_off(
    documents: DocumentStore,
    *,
    credentials: IssuedCredentials,
    issuers: IssuerRegistry,
    status_lists: StatusLists,
    base_url: str,
    offer_ttl_seconds: int,
    token_ttl_seconds: int,
    nonce_ttl_seconds: int,
    requests_per_minute: int,
    key_encryption_key: bytes,
) -> Wallet:
    offers = WalletOffers(
        documents, offer_ttl=timedelta(seconds=offer_ttl_seconds), token_ttl=timedelta(seconds=token_ttl_seconds)
    )
    nonces = Nonces(documents, timedelta(seconds=nonce_ttl_seconds), nonce_key(key_encryption_key))
    issuance = WalletIssuance(
        documents,
        credentials=credentials,
        issuers=issuers,
        status_lists=status_lists,
        offers=offers,
        nonces=nonces,
        proof_max_age=timedelta(seconds=nonce_ttl_seconds),
    )
    for part in (offers, nonces, issuance):
        await part.prepare()
    return Wallet(
        offers, nonces, issuance, WalletExchanges(offers, issuance), RateLimiter(requests_per_minute, 60.0), base_url
    )
