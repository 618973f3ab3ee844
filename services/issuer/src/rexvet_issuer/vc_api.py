"""W3C VC-API `POST /credentials/issue` ({credential, options} -> 201 {verifiableCredential}): the issuer
endpoint interoperability test suites drive, signing a caller's OB 3.0 credential with the institution's key.

An institution admin (scope `issuer:write`) sends an unsigned OpenBadgeCredential; it comes back with an
eddsa-rdfc-2022 DataIntegrityProof by the institution's active key (domain/issue_request.py says what is filled
in and what is refused). The credential is checked with rexvet_credentials' OB 3.0 model before anything else.

What this endpoint does not do, on purpose: it keeps no record and announces nothing (badges that move a ladder
come from coaching's `badge.eligible`, see credentials.py), so such a credential is not listed under
/v1/credentials and has no revoke/suspend endpoint. It allocates a status entry only when
`options.credentialStatus` asks for one (`{"type": "BitstringStatusListEntry"}`, purpose revocation); that index
is taken in the institution's list, reserved under the credential id (asking again for the same id gives the same
index), and stays unset.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from rexvet_common.problems import BadRequest, Problem
from rexvet_credentials.errors import SigningError
from rexvet_credentials.models.parse import parse_credential
from rexvet_credentials.sign import sign_credential
from rexvet_issuer.api_deps import Context, InstitutionAdmin
from rexvet_issuer.domain.issue_request import InvalidIssueRequest, prepare_for_signing

router = APIRouter(tags=["W3C VC-API"])


class StatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["BitstringStatusListEntry"]
    # OB 3.0 allows one status entry per credential; rexvet's credentials point at the revocation list.
    statusPurpose: Literal["revocation"] = "revocation"


class IssueOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credentialId: str | None = Field(
        default=None, description="Accepted for VC-API clients; unused, since no record of the credential is kept"
    )
    credentialStatus: StatusRequest | None = Field(
        default=None, description="Ask for a Bitstring Status List entry from the institution's lists"
    )


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any] = Field(description="An unsigned OB 3.0 OpenBadgeCredential")
    options: IssueOptions = Field(default_factory=IssueOptions)


class InvalidCredential(Problem):
    status, title, slug = 422, "Unprocessable Content", "invalid-credential"


@router.post(
    "/credentials/issue",
    status_code=201,
    summary="Sign an OB 3.0 credential with your institution's key (W3C VC-API issueCredential)",
)
async def issue_credential(body: IssueRequest, principal: InstitutionAdmin, context: Context) -> JSONResponse:
    issuer = await context.issuers.ensure(principal.tenant)
    context.relay.wake()  # a first use creates the institution's issuer, whose profile event is in the outbox
    try:
        credential = prepare_for_signing(body.credential, issuer.credential_profile(), datetime.now(UTC))
    except InvalidIssueRequest as refused:
        raise BadRequest(str(refused)) from refused
    _, problems = parse_credential(credential)
    if problems:
        raise InvalidCredential(
            "the credential is not a valid OB 3.0 OpenBadgeCredential: see `errors`",
            errors=[
                {"location": f"credential.{p.path}" if p.path else "credential", "message": p.message} for p in problems
            ],
        )
    if body.options.credentialStatus is not None:
        allocation = await context.status_lists.allocate(principal.tenant, reservation=f"vc-api:{credential['id']}")
        credential["credentialStatus"] = context.status_lists.entry(allocation)
    key = context.issuers.signing_key(issuer)
    try:
        # JSON-LD expansion and canonicalisation take milliseconds of CPU: off the event loop.
        signed = await asyncio.to_thread(sign_credential, credential, key)
    except SigningError as refused:
        raise InvalidCredential(f"cannot sign it: {refused.message}", code=refused.code) from refused
    return JSONResponse({"verifiableCredential": signed}, status_code=201)
