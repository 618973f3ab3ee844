"""An institution's own issuer: its profile and keys (institution-admin), credentials' status (admin or manager),
and a staff member's own credentials."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from rexvet_common.auth import Principal
from rexvet_common.auth.tenancy import ensure_same_tenant
from rexvet_common.errors import VersionConflictError
from rexvet_common.ports.document_store import Page
from rexvet_common.problems import Conflict, NotFound
from rexvet_issuer.api.deps import Context, InstitutionAdmin, InstitutionReader, StaffReader, StatusManager
from rexvet_issuer.api.listing_query import InstitutionQuery
from rexvet_issuer.api.public_routes import _record
from rexvet_issuer.application.credential_status import Action, StatusChangeRefused
from rexvet_issuer.application.credentials import public_summary

router = APIRouter(prefix="/v1", tags=["issuer"])


class ParentOrgIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: AnyHttpUrl = Field(description="The consortium's own Profile URL (or home page)")
    name: str = Field(min_length=1, max_length=200)


class ProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="The institution's name as credentials show it")
    url: AnyHttpUrl | None = Field(default=None, description="The institution's home page")
    # A plain shape check: the address is published, not written to, so deliverability is the institution's concern.
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    phone: str | None = Field(default=None, min_length=1, max_length=40)
    description: str | None = Field(default=None, min_length=1, max_length=2000)
    image: AnyHttpUrl | None = Field(default=None, description="URL of the institution's logo")
    parentOrg: ParentOrgIn | None = Field(default=None, description="The consortium the institution belongs to")
    linkedin_organization_id: str | None = Field(
        default=None,
        pattern=r"^[0-9]{1,20}$",
        description="The number of the institution's LinkedIn company page (as in linkedin.com/company/<number>): "
        'staff\'s "add to profile" links name it as `organizationId`; without it they carry the name. Not part of '
        "the published Profile",
    )

    def fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "url": str(self.url) if self.url else None,
            "email": self.email,
            "phone": self.phone,
            "description": self.description,
        }
        if self.image:
            fields["image"] = {"id": str(self.image), "type": "Image"}
        if self.parentOrg:
            fields["parentOrg"] = {"id": str(self.parentOrg.id), "type": ["Profile"], "name": self.parentOrg.name}
        return fields


class StatusChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, min_length=1, max_length=500, description="Why, for the record")


@router.get("/issuer/profile", summary="Your institution's issuer Profile and keys")
async def get_profile(principal: InstitutionReader, context: Context) -> JSONResponse:
    issuer = await context.issuers.find(principal.tenant)
    if issuer is None:
        raise NotFound("your institution has issued nothing yet: PUT /v1/issuer/profile to create its issuer")
    return JSONResponse(issuer.admin_document())


@router.put("/issuer/profile", summary="Create or change your institution's issuer Profile")
async def put_profile(body: ProfileIn, principal: InstitutionAdmin, context: Context) -> JSONResponse:
    issuer = await context.issuers.update_profile(
        principal.tenant, body.name, body.fields(), linkedin_organization_id=body.linkedin_organization_id
    )
    context.relay.wake()
    return JSONResponse(issuer.admin_document())


@router.post("/issuer/keys:rotate", summary="A new signing key; the old ones stay listed so old credentials verify")
async def rotate_keys(principal: InstitutionAdmin, context: Context) -> JSONResponse:
    issuer = await context.issuers.rotate(principal.tenant)
    context.relay.wake()
    return JSONResponse(issuer.public_document())


async def _change_status(
    credential_id: str, action: Action, body: StatusChangeIn | None, principal: Principal, context: Context
) -> dict[str, Any]:
    record = await _record(context, credential_id)
    ensure_same_tenant(principal, record["institution"], what="credential")
    try:
        updated = await context.credentials.change_status(record, action, reason=body.reason if body else None)
    except StatusChangeRefused as refused:
        raise Conflict(str(refused)) from refused
    except VersionConflictError as conflict:
        raise Conflict(str(conflict)) from conflict
    context.relay.wake()
    return public_summary(updated)


def _status_route(action: Action) -> None:
    async def change(
        credential_id: str, principal: StatusManager, context: Context, body: StatusChangeIn | None = None
    ) -> dict[str, Any]:
        return await _change_status(credential_id, action, body, principal, context)

    summary = f"{action.capitalize()} a credential of your institution (idempotent)"
    router.add_api_route(f"/credentials/{{credential_id}}/{action}", change, methods=["POST"], summary=summary)
    # The same as a custom method (AIP-136 style, like keys:rotate)
    router.add_api_route(f"/credentials/{{credential_id}}:{action}", change, methods=["POST"], include_in_schema=False)


_ACTIONS: tuple[Action, ...] = ("revoke", "suspend", "unsuspend")
for _action in _ACTIONS:
    _status_route(_action)


@router.get("/me/credentials", summary="The credentials issued to you, newest first")
async def my_credentials(
    principal: StaffReader,
    context: Context,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> dict[str, Any]:
    page = await context.credentials.of_institution(
        principal.tenant, staff_id=principal.sub, limit=limit, cursor=cursor
    )
    listing = _listing(page, context.status_lists.base_url)
    issuer = await context.issuers.find(principal.tenant)
    if issuer is not None and issuer.linkedin_organization_id:
        # For the portal's LinkedIn links: `organizationId` instead of the institution's name.
        listing["linkedin_organization_id"] = issuer.linkedin_organization_id
    return listing


@router.get("/credentials", summary="Your institution's issued credentials, newest first (to revoke or suspend)")
async def institution_credentials(
    principal: InstitutionReader, context: Context, query: InstitutionQuery
) -> dict[str, Any]:
    page = await context.credentials.of_institution(
        principal.tenant, staff_id=query.staff_id, limit=query.limit, cursor=query.cursor
    )
    return _listing(page, context.status_lists.base_url)


def _listing(page: Page, base_url: str) -> dict[str, Any]:
    items = []
    for record in page.items:
        link = f"{base_url}/v1/credentials/{record['credential_uuid']}"
        items.append(
            {
                **public_summary(record),
                "url": link,
                "image_png": f"{link}/image.png",
                "image_svg": f"{link}/image.svg",
                "credential": record["credential"],
            }
        )
    return {"items": items, "next_cursor": page.next_cursor}
