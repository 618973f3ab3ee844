"""What every evidence endpoint shares: the service's context, who may call, and the public shape of evidence."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from rexvet_common.auth import Principal, require
from rexvet_common.auth.tenancy import owned_or_404
from rexvet_common.http import runtime_from
from rexvet_common.ports.document_store import Document
from rexvet_common.problems import Conflict, Forbidden, NotFound
from rexvet_evidence import scopes
from rexvet_evidence.application.records import EvidenceGone
from rexvet_evidence.bootstrap import EvidenceContext
from rexvet_evidence.domain.review import Decision, ReviewRefused, Status, reviews_of, submissions_of

# Roles that see every piece of evidence of their institution; staff see only their own.
READ_ANYONE = frozenset({"coach", "manager", "institution-admin"})


def evidence_context(request: Request) -> EvidenceContext:
    context = runtime_from(request).context
    assert isinstance(context, EvidenceContext)
    return context


Context = Annotated[EvidenceContext, Depends(evidence_context)]
Submitter = Annotated[Principal, Depends(require(scopes.WRITE, roles=["staff"]))]
Reader = Annotated[Principal, Depends(require(scopes.READ, roles=["staff", *sorted(READ_ANYONE)]))]
Reviewer = Annotated[Principal, Depends(require(scopes.REVIEW, roles=["coach"]))]
HrSystem = Annotated[Principal, Depends(require(scopes.HR_WRITE, roles=["hr-system"]))]


def visible_or_404(principal: Principal, found: Document | None) -> Document:
    """The evidence when the caller may see it: their institution's, and their own unless they read anyone's."""
    document = owned_or_404(principal, found, found.get("institution") if found else None, what="evidence")
    if document["staff_id"] != principal.sub and not (principal.roles & READ_ANYONE):
        raise NotFound("no such evidence in your institution")
    return document


class FilePublic(BaseModel):
    size: int
    sha256: str
    content_type: str
    uploaded_at: str


class ReviewPublic(BaseModel):
    decision: Decision = Field(description="approved, returned (for revision) or rejected")
    comment: str | None = Field(None, description="The coach's words to the staff member")
    reviewer: str
    narrative: str | None = None
    url: str | None = None
    reviewed_at: str
    submission: int | None = Field(None, description="The number of the submission reviewed (absent on old records)")
    file_sha256: str | None = Field(None, description="SHA-256 of the file the coach saw, when there was one")


class SubmissionPublic(BaseModel):
    number: int = Field(description="1 for the first submission, 2 for the first resubmission, ...")
    submitted_at: str
    title: str | None = None
    description: str | None = None
    url: str | None = None


class EvidencePublic(BaseModel):
    id: str
    staff_id: str
    title: str
    description: str | None = None
    badge_id: str | None = None
    requirement_id: str | None = None
    url: str | None = None
    status: Status = Field(description="submitted, returned (for revision), approved or rejected")
    submitted_at: str = Field(description="When it was first submitted (resubmissions: see `submissions`)")
    file: FilePublic | None = None
    review: ReviewPublic | None = Field(None, description="The latest review, also the last of `reviews`")
    reviews: list[ReviewPublic] = Field(default_factory=list, description="Every review, oldest first")
    submissions: list[SubmissionPublic] = Field(default_factory=list, description="Every submission, oldest first")


HISTORY = frozenset({"id", "reviews", "submissions"})


def public(document: dict[str, Any]) -> EvidencePublic:
    fields = {name: document.get(name) for name in EvidencePublic.model_fields if name not in HISTORY}
    return EvidencePublic(
        id=document["_id"], reviews=reviews_of(document), submissions=submissions_of(document), **fields
    )


@contextmanager
def refusals_as_problems(forbidden_reason: str | None = None) -> Iterator[None]:
    """A refused change of an evidence record as its problem: `forbidden_reason` (who may not: 403), any other
    refusal a conflict with its state (409), a record gone meanwhile 404."""
    try:
        yield
    except ReviewRefused as refused:
        if refused.reason == forbidden_reason:
            raise Forbidden(str(refused)) from refused
        raise Conflict(str(refused)) from refused
    except EvidenceGone as gone:
        raise NotFound("no such evidence in your institution") from gone
