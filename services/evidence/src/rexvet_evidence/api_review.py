"""`POST /v1/evidence/{id}/review`: a coach of the institution approves or rejects a staff member's evidence."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from rexvet_common.problems import Conflict, Forbidden, NotFound, validation_problem
from rexvet_evidence.api_deps import Context, EvidencePublic, Reviewer, public, visible_or_404
from rexvet_evidence.domain.review import Decision, Review, ReviewRefused, missing_for_decision
from rexvet_evidence.records import EvidenceGone

router = APIRouter(prefix="/v1", tags=["evidence"])


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    comment: str | None = Field(
        default=None,
        min_length=1,
        max_length=5000,
        description="For the staff member: why, what next. Optional when approving; required when rejecting",
    )
    narrative: str | None = Field(
        default=None, min_length=1, max_length=5000, description="What the evidence shows, for the credential"
    )
    url: AnyHttpUrl | None = Field(
        default=None, description="A public link the owner controls; defaults to the evidence's own `url`"
    )


@router.post(
    "/evidence/{evidence_id}/review",
    response_model=EvidencePublic,
    responses={422: {"description": "The body breaks the schema, or rejects without a `comment`"}},
)
async def review_evidence(evidence_id: str, body: ReviewIn, principal: Reviewer, context: Context) -> EvidencePublic:
    missing = missing_for_decision(body.decision, body.comment)
    if missing is not None:
        raise validation_problem([{"location": "body.comment", "message": missing}], detail=missing)
    visible_or_404(principal, await context.records.get(evidence_id))
    review = Review(
        decision=body.decision,
        comment=body.comment,
        reviewer=principal.sub,
        reviewed_at=datetime.now(UTC),
        narrative=body.narrative,
        url=str(body.url) if body.url else None,
    )
    try:
        reviewed = await context.records.review(evidence_id, review)
    except ReviewRefused as refused:
        if refused.reason == "own-evidence":
            raise Forbidden(str(refused)) from refused
        raise Conflict(str(refused)) from refused
    except EvidenceGone as gone:
        raise NotFound("no such evidence in your institution") from gone
    context.wake_relay()
    return public(reviewed)
