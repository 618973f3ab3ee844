"""`POST /v1/evidence/review-queue`: a coach's evidence to review, filtered here rather than page by page in the
caller.

The evidence service does not know who coaches whom (coaching does), so the coach names their coachees; any coach of
the institution may read its evidence already (`GET /v1/evidence`), so naming people widens nothing. A POST, because
a coach of a large group names more people than an address should carry; it changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from rexvet_common.auth import Principal, require
from rexvet_evidence import scopes
from rexvet_evidence.api.deps import Context, EvidencePublic, public

router = APIRouter(prefix="/v1", tags=["evidence"])

MAX_STAFF = 10_000

CoachReader = Annotated[Principal, Depends(require(scopes.READ, roles=["coach"]))]
StaffId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ReviewQueueQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_ids: list[StaffId] = Field(
        max_length=MAX_STAFF, description="The coach's coachees (from coaching's `GET /v1/coach/queue`)"
    )


class ReviewQueue(BaseModel):
    items: list[EvidencePublic] = Field(
        description="Their evidence waiting for a review (status `submitted`), the longest waiting first: by its "
        "latest submission's `submitted_at`"
    )


@router.post(
    "/evidence/review-queue",
    response_model=ReviewQueue,
    responses={403: {"description": "Not a coach, or a token without `evidence:read`"}},
)
async def review_queue(body: ReviewQueueQuery, principal: CoachReader, context: Context) -> ReviewQueue:
    documents = await context.records.waiting_for_review(institution=principal.tenant, staff_ids=body.staff_ids)
    return ReviewQueue(items=[public(document) for document in documents])
