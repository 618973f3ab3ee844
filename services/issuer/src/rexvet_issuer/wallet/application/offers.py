"""Credential offers: made by a badge's owner, fetched by reference, redeemed once for an access token.

One open offer per badge: a new offer supersedes the badge's earlier ones that were not redeemed. Every change
of an offer is a compare-and-swap on its record, so two wallets racing with the same code get one token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from rexvet_common.errors import DocumentNotFoundError, VersionConflictError
from rexvet_common.ports.document_store import Document, DocumentStore, Index
from rexvet_issuer.wallet.domain import offer as rules
from rexvet_issuer.wallet.domain.errors import INVALID_GRANT, INVALID_TOKEN, WalletRefusal
from rexvet_issuer.wallet.domain.metadata import CONFIGURATION_IDS

COLLECTION = "wallet_offers"
INDEXES = (
    Index(("code_hash",), unique=True),
    Index(("token_hash",)),
    Index(("institution", "credential_uuid", "state")),
)


class BadgeNotOfferable(Exception):
    """The badge cannot go into a wallet now (revoked, suspended); the message says why."""


@dataclass(frozen=True)
class CreatedOffer:
    record: Document
    tx_code: str | None


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int
    offer: Document


class WalletOffers:
    def __init__(self, documents: DocumentStore, *, offer_ttl: timedelta, token_ttl: timedelta) -> None:
        self.documents = documents
        self.offer_ttl = offer_ttl
        self.token_ttl = token_ttl

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def create(self, badge: Document, *, with_tx_code: bool) -> CreatedOffer:
        """An offer of `badge` (the owner's credential record), superseding its earlier open offers."""
        if badge["revoked"] or badge["suspended"]:
            raise BadgeNotOfferable("the badge is revoked or suspended: it cannot be put in a wallet")
        now = datetime.now(UTC)
        made = rules.new_offer(
            institution=badge["institution"],
            staff_id=badge["staff_id"],
            credential_uuid=badge["credential_uuid"],
            configuration_ids=list(CONFIGURATION_IDS),
            now=now,
            ttl=self.offer_ttl,
            with_tx_code=with_tx_code,
        )
        await self._supersede(badge["institution"], badge["credential_uuid"])
        return CreatedOffer(await self.documents.insert(COLLECTION, made.record), made.tx_code)

    async def _supersede(self, institution: str, credential_uuid: str) -> None:
        page = await self.documents.find(
            COLLECTION, {"institution": institution, "credential_uuid": credential_uuid, "state": "offered"}, limit=100
        )
        for earlier in page.items:
            try:
                await self.documents.replace(COLLECTION, {**earlier, "state": "superseded", "code": None})
            except (VersionConflictError, DocumentNotFoundError):
                continue  # redeemed meanwhile: that one goes on

    async def fetchable(self, institution: str, offer_id: str) -> Document | None:
        found = await self.documents.get(COLLECTION, offer_id)
        if found is None or found["institution"] != institution:
            return None
        return found if rules.open_for_fetching(found, datetime.now(UTC)) else None

    async def exchangeable(self, institution: str, offer_id: str) -> Document | None:
        found = await self.documents.get(COLLECTION, offer_id)
        if found is None or found["institution"] != institution:
            return None
        return found if rules.open_for_exchange(found, datetime.now(UTC)) else None

    async def redeem(self, institution: str, code: str, tx_code: str | None) -> AccessToken:
        page = await self.documents.find(COLLECTION, {"code_hash": rules.digest(code)}, limit=1)
        if not page.items or page.items[0]["institution"] != institution:
            raise WalletRefusal(INVALID_GRANT, "the pre-authorized code is unknown")
        current = page.items[0]
        token = rules.new_secret()
        redemption = rules.redeem(current, tx_code, token, self.token_ttl, datetime.now(UTC))
        stored = current
        if redemption.record is not current:
            try:
                stored = await self.documents.replace(COLLECTION, redemption.record)
            except (VersionConflictError, DocumentNotFoundError):
                raise WalletRefusal(INVALID_GRANT, "the pre-authorized code was already used") from None
        if redemption.refusal is not None:
            raise redemption.refusal
        return AccessToken(token, int(self.token_ttl.total_seconds()), stored)

    async def by_token(self, institution: str, token: str) -> Document:
        page = await self.documents.find(COLLECTION, {"token_hash": rules.digest(token)}, limit=1)
        found = page.items[0] if page.items and page.items[0]["institution"] == institution else None
        return rules.check_token_usable(found, datetime.now(UTC))

    async def spend(self, offer: Document, extra: dict[str, Any]) -> Document:
        """Mark the offer's one credential issued (by token or exchange); a concurrent request that came first wins."""
        try:
            return await self.documents.replace(COLLECTION, {**offer, "state": "issued", **extra})
        except (VersionConflictError, DocumentNotFoundError):
            raise WalletRefusal(INVALID_TOKEN, "the access token was spent: its credential was issued") from None
