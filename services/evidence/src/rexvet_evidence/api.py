"""The evidence API: `POST /v1/evidence` (a staff member submits) and `GET /v1/evidence/{id}`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from rexvet_common.auth import Principal, require
from rexvet_common.auth.tenancy import owned_or_404
from rexvet_common.http import runtime_from
from rexvet_common.problems import NotFound
from rexvet_evidence import scopes
from rexvet_evidence.records import EvidenceRecords, Submission

router = APIRouter(prefix="/v1", tags=["evidence"])

READ_ANYONE = frozenset({"coach", "manager", "institution-admin"})


class EvidenceSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    badge_id: str | None = Field(default=None, max_length=200)
    requirement_id: str | None = Field(default=None, max_length=200)
    url: AnyHttpUrl | None = Field(default=None, description="A link the owner controls (shown in a credential)")


class EvidencePublic(BaseModel):
    id: str
    staff_id: str
    title: str
    description: str | None = None
    badge_id: str | None = None
    requirement_id: str | None = None
    url: str | None = None
    status: str
    submitted_at: str


def evidence_records(request: Request) -> EvidenceRecords:
    records = getattr(runtime_from(request).context, "records", None)
    assert isinstance(records, EvidenceRecords)
    return records


Records = Annotated[EvidenceRecords, Depends(evidence_records)]
Submitter = Annotated[Principal, Depends(require(scopes.WRITE, roles=["staff"]))]
Reader = Annotated[Principal, Depends(require(scopes.READ, roles=["staff", *sorted(READ_ANYONE)]))]


@router.post("/evidence", status_code=201, response_model=EvidencePublic)
async def submit_evidence(
    body: EvidenceSubmission, principal: Submitter, records: Records, request: Request, response: Response
) -> EvidencePublic:
    document = await records.submit(
        institution=principal.tenant,
        staff_id=principal.sub,
        submission=Submission(
            title=body.title,
            description=body.description,
            badge_id=body.badge_id,
            requirement_id=body.requirement_id,
            url=str(body.url) if body.url else None,
        ),
    )
    wake = getattr(runtime_from(request).context, "wake_relay", None)
    if callable(wake):
        wake()
    response.headers["Location"] = f"/v1/evidence/{document['_id']}"
    return _public(document)


@router.get("/evidence/{evidence_id}", response_model=EvidencePublic)
async def get_evidence(evidence_id: str, principal: Reader, records: Records) -> EvidencePublic:
    found = await records.get(evidence_id)
    document = owned_or_404(principal, found, found.get("institution") if found else None, what="evidence")
    if document["staff_id"] != principal.sub and not (principal.roles & READ_ANYONE):
        raise NotFound("no such evidence in your institution")
    return _public(document)


def _public(document: dict[str, Any]) -> EvidencePublic:
    fields = {name: document.get(name) for name in EvidencePublic.model_fields if name != "id"}
    return EvidencePublic(id=document["_id"], **fields)
