"""The staff API of the wallet hand-off: a staff member offers their own badge to a wallet, and sees (as do the
institution's admins and managers) every copy of a badge that went into a wallet."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from rexvet_common.ports.document_store import Document, Page
from rexvet_common.problems import Conflict, NotFound
from rexvet_issuer.api.deps import Context, InstitutionReader, StaffReader
from rexvet_issuer.api.listing_query import InstitutionQuery
from rexvet_issuer.api.public_routes import _record
from rexvet_issuer.wallet.api.exchanges_api import exchange_url
from rexvet_issuer.wallet.application.offers import BadgeNotOfferable
from rexvet_issuer.wallet.domain import metadata
from rexvet_issuer.wallet.domain.exchange import deep_links

router = APIRouter(prefix="/v1", tags=["wallets"])

OFFER_SCHEME = "openid-credential-offer://"


class OfferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tx_code: bool = Field(
        default=False, description="Also require a six-digit transaction code, shown once in the answer"
    )


def offer_links(base_url: str, institution: str, offer_id: str) -> dict[str, str]:
    identifier = metadata.credential_issuer_id(base_url, institution)
    by_reference = metadata.endpoint(identifier, f"offers/{offer_id}")
    return {
        "credential_offer_uri": by_reference,
        "offer_link": f"{OFFER_SCHEME}?credential_offer_uri={quote(by_reference, safe='')}",
    }


@router.post(
    "/me/credentials/{credential_id}/wallet-offer",
    status_code=201,
    summary="Offer your badge to a wallet (OpenID4VCI pre-authorized code; replaces your earlier open offer)",
)
async def create_offer(
    credential_id: str, principal: StaffReader, context: Context, body: OfferIn | None = None
) -> JSONResponse:
    record = await _record(context, credential_id)
    if record["institution"] != principal.tenant or record["staff_id"] != principal.sub:
        raise NotFound("no such credential of yours")  # another person's badge is not even confirmed to exist
    try:
        made = await context.wallet.offers.create(record, with_tx_code=bool(body and body.tx_code))
    except BadgeNotOfferable as refused:
        raise Conflict(str(refused)) from refused
    offer = made.record
    answer = {
        "id": offer["_id"],
        "credential_id": record["credential_id"],
        **offer_links(context.wallet.base_url, record["institution"], offer["_id"]),
        "credential_configuration_ids": offer["configuration_ids"],
        "expires_at": offer["expires_at"],
        "tx_code": made.tx_code,
    }
    if offer["challenge"]:  # the Learner Credential Wallet's VC-API exchange (none when a tx_code is asked for)
        url = exchange_url(context.wallet.base_url, record["institution"], offer["_id"])
        answer |= {"exchange_url": url, **deep_links(url)}
    return JSONResponse(answer, status_code=201, headers={"Cache-Control": "no-store"})


def issuance_summary(record: Document) -> dict[str, Any]:
    return {
        "id": record["_id"],
        "credential_id": record["credential_id"],
        "original_credential_id": record["original_credential_id"],
        "staff_id": record["staff_id"],
        "channel": record["channel"],
        "format": record["format"],
        "holder_did": record["holder_did"],
        "holder_key_id": record["holder_key_id"],
        "issued_at": record["issued_at"],
    }


def _listing(page: Page) -> dict[str, Any]:
    return {"items": [issuance_summary(record) for record in page.items], "next_cursor": page.next_cursor}


@router.get("/me/wallet-issuances", summary="Your badges' copies that went into wallets, newest first")
async def my_issuances(
    principal: StaffReader, context: Context, limit: int = Query(50, ge=1, le=200), cursor: str | None = None
) -> dict[str, Any]:
    page = await context.wallet.issuance.listed(principal.tenant, staff_id=principal.sub, limit=limit, cursor=cursor)
    return _listing(page)


@router.get("/wallet-issuances", summary="Your institution's badge copies that went into wallets, newest first")
async def institution_issuances(
    principal: InstitutionReader, context: Context, query: InstitutionQuery
) -> dict[str, Any]:
    page = await context.wallet.issuance.listed(
        principal.tenant, staff_id=query.staff_id, limit=query.limit, cursor=query.cursor
    )
    return _listing(page)
