"""The Open Badges 3.0 REST API (OB 3.0 §6) under `/ims/ob/v3p0`: what an OB client (a wallet, a host, a
portfolio) reads from the platform that issued a person's badges.

- `GET /discovery` (public): the Service Description Document (ob_discovery.py).
- `GET /credentials` (credential.readonly): the OpenBadgeCredentials issued to the bearer, a staff member; `limit`,
  `offset`, `since`; `X-Total-Count` and an RFC 8288 `Link` header (first, last, and next / prev when they exist).
- `GET /profile` (profile.readonly): the bearer's Profile, as far as the issuer knows them.
- `POST /credentials` (upsertCredential) and `PUT /profile` (putProfile): 405, `imsx_codeMajor: unsupported`.
  Both make the server a store of what the holder sends. rexvet is the issuing platform: the credentials it holds
  are the ones it signed, and a staff member's personal data belongs to the institution's HR system and identity
  provider. Accepting a holder's other credentials, or letting a client rewrite who a person is, would make rexvet
  keep and vouch for data it does not own.

Errors are `Imsx_StatusInfo` (ob_status.py). The rexvet scopes keep working: `issuer:read` grants what
credential.readonly and profile.readonly grant (scopes.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from rexvet_common.auth import Principal
from rexvet_issuer.api.deps import Context, ObCredentialReader, ObProfileReader
from rexvet_issuer.api.ob_discovery import DiscoveryNotConfigured, service_description
from rexvet_issuer.api.ob_status import OB_PREFIX, imsx_response
from rexvet_issuer.domain.profile import OB_CONTEXT

router = APIRouter(prefix=OB_PREFIX, tags=["Open Badges 3.0 API"])

DEFAULT_LIMIT = 50
MAX_LIMIT = 200  # a larger `limit` gets pages of 200; the Link header leads on (the spec lets a page be shorter)
INT32_MAX = 2**31 - 1
UPSERT_REFUSED = (
    "rexvet does not accept credentials from clients: it is the issuing platform, and the credentials it holds are "
    "the ones it signed. Keep other credentials in your wallet or host"
)
PROFILE_UPDATE_REFUSED = (
    "rexvet does not change a person's profile: it comes from the institution's HR system and identity provider"
)


@router.get("/discovery", summary="The Service Description Document (OB 3.0 getServiceDescription); public")
async def get_service_description(context: Context) -> JSONResponse:
    try:
        document = service_description(context.settings)
    except DiscoveryNotConfigured as missing:
        return imsx_response(503, str(missing), code_minor="internal_server_error")
    return JSONResponse(document, media_type="application/json")


@router.get("/credentials", summary="The OpenBadgeCredentials issued to you, oldest first (OB 3.0 getCredentials)")
async def get_credentials(
    principal: ObCredentialReader,
    context: Context,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=INT32_MAX),
    offset: int = Query(0, ge=0, le=INT32_MAX),
    since: Annotated[datetime | None, Query(description="Only credentials issued after it (UTC if no offset)")] = None,
) -> JSONResponse:
    limit = min(limit, MAX_LIMIT)
    issued_after = since.replace(tzinfo=UTC) if since is not None and since.tzinfo is None else since
    records, total = await context.credentials.owned_by(
        principal.tenant, principal.sub, issued_after=issued_after, offset=offset, limit=limit
    )
    # Credentials signed with the VC-JWT proof format would go in `compactJwsString`; rexvet signs with Data
    # Integrity (eddsa-rdfc-2022) only, so every credential is in `credential`.
    body = {"credential": [record["credential"] for record in records], "compactJwsString": []}
    url = f"{context.settings.base_url}{OB_PREFIX}/credentials"
    headers = {
        "X-Total-Count": str(total),
        "Link": page_links(url, total=total, offset=offset, limit=limit, since=since),
    }
    return JSONResponse(body, headers=headers, media_type="application/json")


def page_links(url: str, *, total: int, offset: int, limit: int, since: datetime | None) -> str:
    """RFC 8288 `Link` with OB 3.0's relations: first and last always, next when more follow, prev after offset 0."""

    def link(at: int, rel: str) -> str:
        query: dict[str, str | int] = {"limit": limit, "offset": at}
        if since is not None:
            query["since"] = since.isoformat()
        return f'<{url}?{urlencode(query)}>; rel="{rel}"'

    last = ((total - 1) // limit) * limit if total > 0 else 0
    links = []
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    links.append(link(last, "last"))
    links.append(link(0, "first"))
    if offset > 0:
        links.append(link(max(0, min(offset - limit, last)), "prev"))
    return ", ".join(links)


@router.post("/credentials", summary="OB 3.0 upsertCredential: not offered (405)")
async def upsert_credential() -> JSONResponse:
    return imsx_response(405, UPSERT_REFUSED, headers={"Allow": "GET"})


@router.get("/profile", summary="Your Profile as the issuer knows you (OB 3.0 getProfile)")
async def get_profile(principal: ObProfileReader, context: Context) -> JSONResponse:
    issuer = await context.issuers.find(principal.tenant)
    latest = await context.credentials.of_institution(principal.tenant, staff_id=principal.sub, limit=1, cursor=None)
    subject_ids = [record["credential"]["credentialSubject"].get("id") for record in latest.items]
    did = next((the_id for the_id in subject_ids if isinstance(the_id, str) and the_id.startswith("did:")), None)
    parent = issuer.credential_profile() if issuer is not None else None
    return JSONResponse(staff_profile(principal, parent_org=parent, did=did), media_type="application/json")


@router.put("/profile", summary="OB 3.0 putProfile: not offered (405)")
async def put_profile() -> JSONResponse:
    return imsx_response(405, PROFILE_UPDATE_REFUSED, headers={"Allow": "GET"})


# OpenID Connect standard claims -> OB 3.0 Profile properties: what the person's identity provider says of them.
_NAME_CLAIMS = {"name": "name", "given_name": "givenName", "family_name": "familyName", "email": "email"}


def staff_profile(principal: Principal, *, parent_org: dict[str, Any] | None, did: str | None) -> dict[str, Any]:
    """The bearer's OB 3.0 Profile from what rexvet knows of them (it keeps no personal record of its own):

    - `id`: the DID their newest credential was issued to, else a URN of their institution and staff id;
    - `name`, `givenName`, `familyName`, `email`: the token's OpenID Connect claims, when the provider sends them;
    - `otherIdentifier`: the institution's id of the person (`sourcedId`, as credentials hash it);
    - `parentOrg`: the institution's issuer Profile (id, name and the other properties it published).
    """
    profile: dict[str, Any] = {
        "@context": [OB_CONTEXT],
        "id": did or f"urn:rexvet:{quote(principal.tenant, safe='')}:staff:{quote(principal.sub, safe='')}",
        "type": ["Profile"],
    }
    for claim, field in _NAME_CLAIMS.items():
        value = principal.claims.get(claim)
        if isinstance(value, str) and value.strip():
            profile[field] = value.strip()
    profile["otherIdentifier"] = [
        {"type": "IdentifierEntry", "identifier": principal.sub, "identifierType": "sourcedId"}
    ]
    if parent_org is not None:
        profile["parentOrg"] = parent_org
    return profile
