"""`GET /v1/staff/{staff_id}/evidence`: the evidence coaching has recorded for one staff member."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from rexvet_coaching import scopes
from rexvet_coaching.api.deps import ReceivedEvidenceStore
from rexvet_common.auth import Principal, require
from rexvet_common.problems import NotFound

router = APIRouter(prefix="/v1", tags=["evidence received"])

READERS = ("staff", "coach", "manager", "institution-admin")
# Staff see their own; the others see anyone's in their institution.
READ_ANYONE = frozenset({"coach", "manager", "institution-admin"})


class ReceivedEvidenceItem(BaseModel):
    evidence_id: str
    staff_id: str
    title: str
    badge_id: str | None = None
    requirement_id: str | None = None
    submitted_at: str
    received_at: str
    status: str = Field(
        "submitted", description="submitted (waiting for review), returned (back with its owner), approved, rejected"
    )
    submissions: int = Field(1, description="How many times it was submitted (2 after one resubmission)")


class ReceivedEvidencePage(BaseModel):
    items: list[ReceivedEvidenceItem]
    next_cursor: str | None = None


Reader = Annotated[Principal, Depends(require(scopes.READ, roles=READERS))]


@router.get("/staff/{staff_id}/evidence", response_model=ReceivedEvidencePage)
async def list_received_evidence(
    staff_id: str,
    principal: Reader,
    store: ReceivedEvidenceStore,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> ReceivedEvidencePage:
    if staff_id != principal.sub and not (principal.roles & READ_ANYONE):
        raise NotFound("no such staff member in your institution")
    page = await store.for_staff(principal.tenant, staff_id, limit=limit, cursor=cursor)
    return ReceivedEvidencePage(items=[_item(doc) for doc in page.items], next_cursor=page.next_cursor)


def _item(doc: dict[str, Any]) -> ReceivedEvidenceItem:
    return ReceivedEvidenceItem(evidence_id=doc["_id"], **{k: v for k, v in doc.items() if k in _FIELDS})


_FIELDS = frozenset(ReceivedEvidenceItem.model_fields) - {"evidence_id"}
