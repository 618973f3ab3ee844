"""`POST /v1/evidence/{id}/review`: a coach of the institution approves, returns for revision or rejects a staff
member's evidence; `POST /v1/evidence/{id}/resubmit`: its owner answers a return."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from rexvet_common.problems import validation_problem
from rexvet_evidence.api.deps import (
    Context,
    EvidencePublic,
    Reviewer,
    Submitter,
    public,
    refusals_as_problems,
    visible_or_404,
)
from rexvet_evidence.domain.review import Decision, Resubmission, Review, missing_for_decision

router = APIRouter(prefix="/v1", tags=["evidence"])


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    comment: str | None = Field(
        default=None,
        min_length=1,
        max_length=5000,
        description="For the staff member: why, what next. Optional when approving; required when returning or "
        "rejecting",
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
    responses={
        403: {"description": "Your own evidence, or a token without `evidence:review` and the coach role"},
        404: {"description": "No such evidence in your institution"},
        409: {"description": "Already reviewed, or returned and not yet resubmitted"},
        422: {"description": "The body breaks the schema, or returns or rejects without a `comment`"},
    },
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
    with refusals_as_problems(forbidden_reason="own-evidence"):
        reviewed = await context.records.review(evidence_id, review)
    context.wake_relay()
    return public(reviewed)


class ResubmitIn(BaseModel):
    """What the owner revised; every field is optional and an absent one keeps its value."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    url: AnyHttpUrl | None = Field(default=None, description="A link the owner controls (shown in a credential)")


@router.post(
    "/evidence/{evidence_id}/resubmit",
    response_model=EvidencePublic,
    responses={
        403: {"description": "Not your evidence (a coach reading it), or a token without `evidence:write`"},
        404: {"description": "No such evidence in your institution"},
        409: {"description": "The evidence was not returned for revision (waiting for review, or final)"},
        422: {"description": "The body breaks the schema"},
    },
)
async def resubmit_evidence(
    evidence_id: str,
    principal: Submitter,
    context: Context,
    body: Annotated[ResubmitIn | None, Body()] = None,
) -> EvidencePublic:
    """Send evidence that a coach returned for revision back for review; replace its file first with PUT .../file
    if the coach asked for that. The earlier submissions and reviews stay in `submissions` and `reviews`."""
    visible_or_404(principal, await context.records.get(evidence_id))
    changes = body or ResubmitIn()
    resubmission = Resubmission(
        staff_id=principal.sub,
        resubmitted_at=datetime.now(UTC),
        title=changes.title,
        description=changes.description,
        url=str(changes.url) if changes.url else None,
    )
    with refusals_as_problems(forbidden_reason="not-owner"):
        updated = await context.records.resubmit(evidence_id, resubmission)
    context.wake_relay()
    return public(updated)
