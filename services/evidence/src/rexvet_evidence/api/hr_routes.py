"""HR systems push their events: `POST /v1/hr/events` one at a time, `POST /v1/hr/events:batch` several.

A retry under the same HR id with the same content is answered 200 with the stored record (and announces nothing
again); the same id with different content is 409. The institution is the token's tenant, never the body's.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rexvet_common.ports.document_store import Document
from rexvet_common.problems import Conflict, Problem
from rexvet_evidence.api.deps import Context, HrSystem
from rexvet_evidence.application import hr_events
from rexvet_evidence.application.hr_events import Intake
from rexvet_evidence.domain.hr_event import HrEventIn

router = APIRouter(prefix="/v1", tags=["hr events"])

MAX_BATCH = 100
STATUS = {"accepted": 201, "duplicate": 200, "conflict": 409}


class HrEventPublic(BaseModel):
    id: str = Field(description="The HR system's own id")
    type: str
    staff_id: str
    occurred_at: str
    fields: dict[str, Any]
    received_at: str


class HrBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Items are checked one by one, so that one bad item is reported without refusing the others.
    events: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_BATCH)


class HrBatchItem(BaseModel):
    index: int
    id: str | None = None
    status: int = Field(description="201 accepted, 200 already received, 409 id reused, 422 invalid")
    event: HrEventPublic | None = None
    problem: dict[str, Any] | None = Field(None, description="RFC 9457 problem of a refused item")


class HrBatchOut(BaseModel):
    results: list[HrBatchItem]


@router.post("/hr/events", status_code=201, response_model=HrEventPublic)
async def push_hr_event(body: HrEventIn, principal: HrSystem, context: Context, response: Response) -> HrEventPublic:
    intake = await context.hr_events.accept(principal.tenant, body)
    if intake.outcome == "conflict":
        raise Conflict(_conflict_detail(body.id), hr_event_id=body.id)
    if intake.outcome == "accepted":
        context.wake_relay(hr_events.COLLECTION, intake.record["_id"])  # by id: no query for pending records
    response.status_code = STATUS[intake.outcome]
    return _public(intake.record)


@router.post("/hr/events:batch", response_model=HrBatchOut)
async def push_hr_events(body: HrBatchIn, principal: HrSystem, context: Context) -> HrBatchOut:
    """Each item is handled as `POST /v1/hr/events` would, in order, and reported with its own status."""
    results = [await _one(index, item, principal.tenant, context) for index, item in enumerate(body.events)]
    if any(result.status == 201 for result in results):
        context.wake_relay()
    return HrBatchOut(results=results)


async def _one(index: int, item: dict[str, Any], institution: str, context: Context) -> HrBatchItem:
    raw_id = item.get("id")
    hr_id = raw_id if isinstance(raw_id, str) else None
    try:
        pushed = HrEventIn.model_validate(item)
    except ValidationError as exc:
        errors = [{"location": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        problem = Problem(
            "the item does not match the HR event schema: see `errors`",
            status=422,
            title="Unprocessable Content",
            slug="validation",
            errors=errors,
        )
        return HrBatchItem(index=index, id=hr_id, status=422, problem=problem.body())
    intake: Intake = await context.hr_events.accept(institution, pushed)
    if intake.outcome == "conflict":
        return HrBatchItem(index=index, id=pushed.id, status=409, problem=Conflict(_conflict_detail(pushed.id)).body())
    return HrBatchItem(index=index, id=pushed.id, status=STATUS[intake.outcome], event=_public(intake.record))


def _conflict_detail(hr_id: str) -> str:
    return f"HR event {hr_id!r} was already received with different content; send a new id for a new event"


def _public(record: Document) -> HrEventPublic:
    return HrEventPublic(
        id=record["hr_event_id"],
        type=record["type"],
        staff_id=record["staff_id"],
        occurred_at=record["occurred_at"],
        fields=record["fields"],
        received_at=record["received_at"],
    )
