"""W3C VC-API `POST /credentials/issue` ({credential, options} -> 201 {verifiableCredential}): the issuer
endpoint interoperability test suites drive, signing a caller's credential with the institution's key.

An institution admin (scope `issuer:write`) sends an unsigned verifiable credential: any VCDM 2.0 credential (or a
VCDM 1.1 one), an OpenBadgeCredential among them. It comes back with an eddsa-rdfc-2022 DataIntegrityProof by the
institution's active key, issued under its did:web (domain/issue_request.py says what is filled in and what is
refused). Before anything is taken or signed, the credential is checked against the VC data model (dates, typed
properties, URLs: a 400 that names the property) and, for an Open Badge, against rexvet_credentials' OB 3.0 model
(a 422 listing what is wrong); the JSON-LD (defined terms, inline contexts in safe mode) is the signer's.

What this endpoint does not do, on purpose: it keeps no record and announces nothing (badges that move a ladder
come from coaching's `badge.eligible`, see credentials.py), so such a credential is not listed under
/v1/credentials and has no revoke/suspend endpoint. It allocates a status entry only when
`options.credentialStatus` asks for one (`{"type": "BitstringStatusListEntry", "statusPurpose": ...}`); that
index is taken in the institution's list, reserved under the credential id (asking again for the same id gives the
same index), and stays unset. A caller's own entry (another party's list) is signed as given.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from rexvet_common.problems import BadRequest, Problem
from rexvet_credentials.errors import SigningError
from rexvet_credentials.models.parse import StructureProblem, parse_credential
from rexvet_credentials.models.vcdm import credential_problems
from rexvet_credentials.sign import sign_credential
from rexvet_issuer.api.deps import Context, InstitutionAdmin
from rexvet_issuer.domain.issue_request import InvalidIssueRequest, is_open_badge, prepare_for_signing

router = APIRouter(tags=["W3C VC-API"])


class StatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["BitstringStatusListEntry"]
    # OB 3.0 allows one status entry per credential: the revocation list's, unless the caller asks for the other.
    statusPurpose: Literal["revocation", "suspension"] = "revocation"


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

    credential: dict[str, Any] = Field(description="An unsigned verifiable credential (VCDM 2.0, or 1.1)")
    options: IssueOptions = Field(default_factory=IssueOptions)


class InvalidCredential(Problem):
    status, title, slug = 422, "Unprocessable Content", "invalid-credential"


class NotVcDataModel(Problem):
    status, title, slug = 400, "Not a Verifiable Credential", "not-vc-data-model"


@router.post(
    "/credentials/issue",
    status_code=201,
    summary="Sign a verifiable credential with your institution's key (W3C VC-API issueCredential)",
)
async def issue_credential(body: IssueRequest, principal: InstitutionAdmin, context: Context) -> JSONResponse:
    issuer = await context.issuers.ensure(principal.tenant)
    context.relay.wake()  # a first use creates the institution's issuer, whose profile event is in the outbox
    own_lists = context.status_lists.lists_prefix(principal.tenant)
    try:
        credential = prepare_for_signing(
            body.credential, issuer.credential_profile(), datetime.now(UTC), own_lists=own_lists
        )
    except InvalidIssueRequest as refused:
        raise BadRequest(str(refused)) from refused
    problems = credential_problems(credential, issuing=True)
    if problems:
        raise NotVcDataModel(f"the credential breaks the VC data model: {problems[0]}", errors=_located(problems))
    if is_open_badge(credential):
        _, problems = parse_credential(credential)
        if problems:
            raise InvalidCredential(
                "the credential is not a valid OB 3.0 OpenBadgeCredential: see `errors`", errors=_located(problems)
            )
    asked = body.options.credentialStatus
    if asked is not None:
        reservation = f"vc-api:{credential.get('id') or uuid.uuid4()}"
        allocation = await context.status_lists.allocate(principal.tenant, reservation=reservation)
        credential["credentialStatus"] = context.status_lists.entry(allocation, asked.statusPurpose)
    key = context.issuers.signing_key(issuer)
    try:
        # JSON-LD expansion and canonicalisation take milliseconds of CPU: off the event loop.
        signed = await asyncio.to_thread(sign_credential, credential, key)
    except SigningError as refused:
        raise InvalidCredential(f"cannot sign it: {refused.message}", code=refused.code) from refused
    return JSONResponse({"verifiableCredential": signed}, status_code=201)


def _located(problems: list[StructureProblem]) -> list[dict[str, str]]:
    return [{"location": f"credential.{p.path}" if p.path else "credential", "message": p.message} for p in problems]
