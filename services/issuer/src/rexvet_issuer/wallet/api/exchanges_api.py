"""The VC-API exchange the Learner Credential Wallet answers (domain/exchange.py): public, like the OpenID4VCI
endpoints, since the wallet has no rexvet account; the exchange id is the secret, and the endpoint is rate-limited."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from rexvet_common.problems import BadRequest, Conflict, NotFound
from rexvet_issuer.api.deps import issuer_context
from rexvet_issuer.token_service.api import NO_STORE
from rexvet_issuer.wallet.api.oid4vci import MAX_REQUEST_BYTES, _limited, _tenant
from rexvet_issuer.wallet.application.exchanges import ExchangeGone, ExchangeRefused
from rexvet_issuer.wallet.domain import metadata
from rexvet_issuer.wallet.domain.errors import WalletRefusal
from rexvet_issuer.wallet.domain.exchange import origin_of

router = APIRouter(tags=["VC-API exchange"])


def exchange_url(base_url: str, institution: str, exchange_id: str) -> str:
    return f"{metadata.credential_issuer_id(base_url, institution)}/exchanges/{exchange_id}"


@router.post(
    "/v1/issuers/{tenant}/exchanges/{exchange_id}",
    summary="VC-API exchange: {} -> a DIDAuth presentation request; a DIDAuth presentation -> the badge",
)
async def exchange(tenant: str, exchange_id: str, request: Request) -> JSONResponse:
    context = issuer_context(request)
    _tenant(tenant)
    _limited(request, context.wallet)
    raw = await request.body()
    if len(raw) > MAX_REQUEST_BYTES:
        raise BadRequest("the request is too large")
    try:
        body: Any = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise BadRequest('the request body is not JSON: send {} or {"verifiablePresentation": ...}') from None
    url = exchange_url(context.wallet.base_url, tenant, exchange_id)
    try:
        answer = await context.wallet.exchanges.step(tenant, exchange_id, url, origin_of(url), body)
    except ExchangeGone as gone:
        raise NotFound(str(gone)) from gone
    except ExchangeRefused as refused:
        raise BadRequest(str(refused)) from refused
    except WalletRefusal as refusal:  # the badge was revoked or suspended, or another request spent the offer
        raise Conflict(refusal.description, error=refusal.error) from refusal
    context.relay.wake()
    return JSONResponse(answer, headers=NO_STORE)
