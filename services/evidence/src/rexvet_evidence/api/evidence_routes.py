"""The evidence API: a staff member submits (`POST /v1/evidence`), anyone allowed reads one or lists them."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Response
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from rexvet_evidence.api.deps import READ_ANYONE, Context, EvidencePublic, Reader, Submitter, public, visible_or_404
from rexvet_evidence.api.file_routes import FileUrl
from rexvet_evidence.application.records import Submission

router = APIRouter(prefix="/v1", tags=["evidence"])


class EvidenceSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    badge_id: str | None = Field(default=None, max_length=200)
    requirement_id: str | None = Field(default=None, max_length=200)
    url: AnyHttpUrl | None = Field(default=None, description="A link the owner controls (shown in a credential)")


class EvidencePage(BaseModel):
    items: list[EvidencePublic]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; absent on the last")


@router.post("/evidence", status_code=201, response_model=EvidencePublic)
async def submit_evidence(
    body: EvidenceSubmission, principal: Submitter, context: Context, response: Response
) -> EvidencePublic:
    document = await context.records.submit(
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
    context.wake_relay()
    response.headers["Location"] = f"/v1/evidence/{document['_id']}"
    return public(document)


@router.get("/evidence", response_model=EvidencePage)
async def list_evidence(
    principal: Reader,
    context: Context,
    state: Literal["submitted", "returned", "approved", "rejected"] | None = Query(
        None, description="e.g. `submitted`: to review; `returned`: waiting for its owner to revise it"
    ),
    staff_id: str | None = Query(None, max_length=200, description="Only this staff member's (coaches and admins)"),
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = Query(None, max_length=2000),
) -> EvidencePage:
    """The institution's evidence, oldest first; staff see only their own whatever `staff_id` says."""
    if not (principal.roles & READ_ANYONE):
        staff_id = principal.sub
    page = await context.records.page(
        institution=principal.tenant, staff_id=staff_id, status=state, limit=limit, cursor=cursor
    )
    return EvidencePage(items=[public(item) for item in page.items], next_cursor=page.next_cursor)


class EvidenceRead(EvidencePublic):
    file_link: FileUrl | None = Field(
        None, description="With `include=file_link` and a file: its time-limited link, as `GET .../file-url` gives"
    )


@router.get("/evidence/{evidence_id}", response_model=EvidenceRead, response_model_exclude_unset=True)
async def get_evidence(
    evidence_id: str,
    principal: Reader,
    context: Context,
    include: Literal["file_link"] | None = Query(
        None, description="`file_link`: the file's link in the same answer (a reviewer's page needs both)"
    ),
) -> EvidenceRead:
    document = visible_or_404(principal, await context.records.get(evidence_id))
    read = EvidenceRead(**public(document).model_dump(exclude_unset=True))
    if include == "file_link" and document.get("file"):
        url, expires_at = await context.files.download_url(document)
        read.file_link = FileUrl(url=url, expires_at=expires_at)
    return read
