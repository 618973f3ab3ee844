"""Public endpoints (no token): issuer profiles / controller documents, status lists, credentials and baked images.

A credential is public by design: whoever holds its link can verify it. Its id is a random UUID, so links cannot
be enumerated.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from rexvet_common.ports.document_store import Document
from rexvet_common.problems import NotFound
from rexvet_issuer.api.deps import Context
from rexvet_issuer.application.status_lists import Identity, Purpose
from rexvet_issuer.domain import images
from rexvet_issuer.domain.profile import TENANT_PATTERN, Issuer

router = APIRouter(prefix="/v1", tags=["public"])

CREDENTIAL_MEDIA_TYPE = "application/vc+ld+json"
PUBLIC_CACHE = {"Cache-Control": "public, max-age=60"}


async def _issuer_document(
    context: Context, tenant: str, document: Callable[[Issuer], dict[str, Any]], media_type: str
) -> JSONResponse:
    """One of the institution's issuer documents, publicly cached; a name that cannot be a tenant is not looked up."""
    issuer = await context.issuers.find(tenant) if TENANT_PATTERN.match(tenant) else None
    if issuer is None:
        raise NotFound(f"no issuer {tenant!r} here")
    return JSONResponse(document(issuer), media_type=media_type, headers=PUBLIC_CACHE)


@router.get("/issuers/{tenant}", summary="The institution's issuer Profile and controller document of its keys")
async def issuer_profile(tenant: str, context: Context) -> JSONResponse:
    return await _issuer_document(context, tenant, Issuer.public_document, "application/ld+json")


@router.get(
    "/issuers/{tenant}/did.json",
    summary="The institution's did:web DID document (did:web:<host>:v1:issuers:<tenant>): its Multikey keys",
)
async def issuer_did_document(tenant: str, context: Context) -> JSONResponse:
    return await _issuer_document(context, tenant, Issuer.did_document, "application/did+json")


@router.get(
    "/issuers/{tenant}/status-lists/{number}/{purpose}",
    summary="A BitstringStatusListCredential signed under the issuer's did:web (credentials issued under it)",
)
async def status_list(
    tenant: str, number: int, purpose: Literal["revocation", "suspension"], context: Context
) -> JSONResponse:
    return await _status_list(tenant, number, purpose, "did", context)


@router.get(
    "/issuers/{tenant}/status/{number}/{purpose}",
    summary="The same list signed under the issuer's Profile URL (credentials issued before its did:web)",
)
async def status_list_under_profile_url(
    tenant: str, number: int, purpose: Literal["revocation", "suspension"], context: Context
) -> JSONResponse:
    return await _status_list(tenant, number, purpose, "profile", context)


async def _status_list(
    tenant: str, number: int, purpose: Purpose, identity: Identity, context: Context
) -> JSONResponse:
    lists = context.status_lists
    found = await lists.list_credential(tenant, number, purpose, identity) if TENANT_PATTERN.match(tenant) else None
    if found is None:
        raise NotFound(f"no {purpose} list {number} of {tenant!r} here")
    ttl = int(context.status_lists.ttl.total_seconds())
    return JSONResponse(found, media_type=CREDENTIAL_MEDIA_TYPE, headers={"Cache-Control": f"public, max-age={ttl}"})


async def _record(context: Context, credential_id: str) -> Document:
    the_uuid = credential_id.removeprefix("urn:uuid:")
    try:
        uuid.UUID(the_uuid)
    except ValueError:
        raise NotFound("no such credential") from None
    record = await context.credentials.by_uuid(the_uuid)
    if record is None:
        raise NotFound("no such credential")
    return record


@router.get("/credentials/{credential_id}", summary="The signed credential's JSON (public: the link is the key)")
async def credential(credential_id: str, context: Context) -> JSONResponse:
    record = await _record(context, credential_id)
    signed: dict[str, Any] = record["credential"]
    return JSONResponse(signed, media_type=CREDENTIAL_MEDIA_TYPE, headers=PUBLIC_CACHE)


@router.get("/credentials/{credential_id}/image.png", summary="The badge as a PNG with the credential baked in")
async def credential_png(credential_id: str, context: Context) -> Response:
    record = await _record(context, credential_id)
    return Response(images.baked_png(record["credential"]), media_type="image/png", headers=PUBLIC_CACHE)


@router.get("/credentials/{credential_id}/image.svg", summary="The badge as an SVG with the credential baked in")
async def credential_svg(credential_id: str, context: Context) -> Response:
    record = await _record(context, credential_id)
    return Response(images.baked_svg(record["credential"]), media_type="image/svg+xml", headers=PUBLIC_CACHE)
