"""OpenID for Verifiable Credential Issuance 1.0 (final), pre-authorized code flow: the wallet's endpoints.

Public (the wallet has no rexvet account): the metadata, the offer by reference (its id is the secret), the token
endpoint (the pre-authorized code is the grant), the nonce endpoint; the credential endpoint takes the access token
the token endpoint gave. Errors carry the specification's `error` / `error_description` (beside the platform's problem
details members, as the token service's do, but as application/json); the token and nonce endpoints are rate-limited
per client (429).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from rexvet_common.problems import NotFound, Problem
from rexvet_issuer.api_deps import Context, issuer_context
from rexvet_issuer.domain.profile import TENANT_PATTERN
from rexvet_issuer.token_service.api import NO_STORE, OAuthError
from rexvet_issuer.wallet.application.service import Wallet
from rexvet_issuer.wallet.domain import metadata
from rexvet_issuer.wallet.domain.errors import (
    INVALID_CREDENTIAL_REQUEST,
    INVALID_REQUEST,
    INVALID_TOKEN,
    UNSUPPORTED_GRANT_TYPE,
    WalletRefusal,
)
from rexvet_issuer.wallet.domain.offer import PRE_AUTHORIZED_GRANT, credential_offer

router = APIRouter(tags=["OpenID4VCI"])

MAX_FORM_BYTES = 8 * 1024
MAX_REQUEST_BYTES = 64 * 1024


class TooManyRequests(Problem):
    status, title, slug = 429, "Too Many Requests", "too-many-requests"


def refusal_response(request: Request, refusal: WalletRefusal) -> JSONResponse:
    status = 401 if refusal.error == INVALID_TOKEN else 400
    response = OAuthError(refusal.error, refusal.description, status=status).response(request)
    # The problem details members stay, but under the media type the specifications name for these answers
    # (RFC 6749 section 5.2, OpenID4VCI 1.0 section 8.3.1.2): wallets parse an error response only as
    # application/json (oid4vc-ts ignores an application/problem+json body, and so misses `invalid_nonce`).
    response.headers["content-type"] = "application/json"
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer error="{INVALID_TOKEN}"'
    return response


def _tenant(tenant: str) -> str:
    if not TENANT_PATTERN.match(tenant):
        raise NotFound(f"no credential issuer {tenant!r} here")
    return tenant


def _limited(request: Request, wallet: Wallet) -> None:
    wait = wallet.limiter.retry_after(request.client.host if request.client else "unknown")
    if wait is not None:
        raise TooManyRequests(f"too many requests: try again in {wait} s", headers={"Retry-After": str(wait)})


def _identifier_path(rest: str, base_url: str) -> str | None:
    """The institution named by a well-known URL's path (`v1/issuers/<tenant>` after the base URL's own path)."""
    wanted = urlsplit(base_url).path.strip("/")
    path = rest.strip("/")
    if wanted:
        if not path.startswith(wanted + "/"):
            return None
        path = path.removeprefix(wanted + "/")
    head, _, tenant = path.rpartition("/")
    return tenant if head == "v1/issuers" and TENANT_PATTERN.match(tenant) else None


async def _issuer_metadata(tenant: str | None, context: Context) -> JSONResponse:
    issuer = await context.issuers.find(tenant) if tenant else None
    if tenant is None or issuer is None:
        raise NotFound("no credential issuer at this address: /.well-known/openid-credential-issuer/v1/issuers/<id>")
    identifier = metadata.credential_issuer_id(context.wallet.base_url, tenant)
    return JSONResponse(metadata.credential_issuer_metadata(identifier, issuer.name))


@router.get(
    metadata.CREDENTIAL_ISSUER_WELL_KNOWN + "/{rest:path}",
    summary="Credential Issuer Metadata (OpenID4VCI 1.0 section 12.2), well-known name before the issuer's path",
)
async def credential_issuer_metadata(rest: str, context: Context) -> JSONResponse:
    return await _issuer_metadata(_identifier_path(rest, context.wallet.base_url), context)


@router.get(
    "/v1/issuers/{tenant}" + metadata.CREDENTIAL_ISSUER_WELL_KNOWN,
    summary="The same metadata under the issuer's path (what wallets of earlier drafts ask for)",
)
async def credential_issuer_metadata_appended(tenant: str, context: Context) -> JSONResponse:
    return await _issuer_metadata(_tenant(tenant), context)


@router.get(
    metadata.AUTHORIZATION_SERVER_WELL_KNOWN + "/{rest:path}",
    summary="Authorization Server Metadata (RFC 8414) of a credential issuer: the pre-authorized code grant",
)
async def authorization_server_metadata(rest: str, context: Context) -> JSONResponse:
    tenant = _identifier_path(rest, context.wallet.base_url)
    if tenant is None or await context.issuers.find(tenant) is None:
        raise NotFound("no authorization server at this address")
    identifier = metadata.credential_issuer_id(context.wallet.base_url, tenant)
    return JSONResponse(metadata.authorization_server_metadata(identifier))


@router.get("/v1/issuers/{tenant}/oid4vci/offers/{offer_id}", summary="A Credential Offer, by reference")
async def offer_by_reference(tenant: str, offer_id: str, context: Context) -> JSONResponse:
    found = await context.wallet.offers.fetchable(_tenant(tenant), offer_id)
    if found is None:
        raise NotFound("no open offer here: it expired, was used or was replaced; ask for a new one")
    identifier = metadata.credential_issuer_id(context.wallet.base_url, tenant)
    return JSONResponse(credential_offer(found, identifier), headers=NO_STORE)


@router.post("/v1/issuers/{tenant}/oid4vci/token", summary="Token endpoint: the pre-authorized code grant")
async def token(tenant: str, request: Request) -> Response:
    context = issuer_context(request)
    _tenant(tenant)
    _limited(request, context.wallet)
    try:
        form = _form(await request.body())
        if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
            raise WalletRefusal(UNSUPPORTED_GRANT_TYPE, f"grant_type must be {PRE_AUTHORIZED_GRANT}")
        code = form.get("pre-authorized_code")
        if not code:
            raise WalletRefusal(INVALID_REQUEST, "pre-authorized_code is required")
        granted = await context.wallet.offers.redeem(tenant, code, form.get("tx_code"))
    except WalletRefusal as refusal:
        return refusal_response(request, refusal)
    body = {"access_token": granted.token, "token_type": "Bearer", "expires_in": granted.expires_in}
    return JSONResponse(body, headers=NO_STORE)


def _form(raw: bytes) -> dict[str, str]:
    if len(raw) > MAX_FORM_BYTES:
        raise WalletRefusal(INVALID_REQUEST, "the token request is too large")
    try:
        parsed = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise WalletRefusal(INVALID_REQUEST, "the token request is not UTF-8 form data") from None
    repeated = [name for name, values in parsed.items() if len(values) > 1]
    if repeated:
        raise WalletRefusal(INVALID_REQUEST, f"parameters sent more than once: {repeated}")
    return {name: values[0] for name, values in parsed.items()}


@router.post("/v1/issuers/{tenant}/oid4vci/nonce", summary="Nonce endpoint: a fresh c_nonce for a key proof")
async def nonce(tenant: str, request: Request) -> JSONResponse:
    context = issuer_context(request)
    _tenant(tenant)
    _limited(request, context.wallet)
    if await context.issuers.find(tenant) is None:
        raise NotFound(f"no credential issuer {tenant!r} here")
    return JSONResponse({"c_nonce": await context.wallet.nonces.issue(tenant)}, headers=NO_STORE)


@router.post("/v1/issuers/{tenant}/oid4vci/credential", summary="Credential endpoint: the badge bound to your key")
async def credential(tenant: str, request: Request) -> Response:
    context = issuer_context(request)
    _tenant(tenant)
    identifier = metadata.credential_issuer_id(context.wallet.base_url, tenant)
    try:
        scheme, _, token_value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token_value.strip():
            raise WalletRefusal(INVALID_TOKEN, "send the access token from the token endpoint as a Bearer token")
        issued = await context.wallet.issuance.credential_request(
            tenant, identifier, token_value.strip(), _json_body(await request.body())
        )
    except WalletRefusal as refusal:
        return refusal_response(request, refusal)
    context.relay.wake()
    return JSONResponse({"credentials": [{"credential": issued.credential}]}, headers=NO_STORE)


def _json_body(raw: bytes) -> Any:
    if len(raw) > MAX_REQUEST_BYTES:
        raise WalletRefusal(INVALID_CREDENTIAL_REQUEST, "the credential request is too large")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise WalletRefusal(INVALID_CREDENTIAL_REQUEST, "the credential request is not JSON") from None
