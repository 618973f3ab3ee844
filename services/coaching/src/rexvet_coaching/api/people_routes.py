"""Coaches, managers and institution admins: coachees, sign-offs, coach assignment and the institution's summary."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, StringConstraints

from rexvet_coaching.api.deps import (
    SEE_INSTITUTION,
    CoachReader,
    CoachWriter,
    ManagerReader,
    ManagerWriter,
    Service,
    StaffReader,
)
from rexvet_coaching.api.read_model_route import ReadModelRoute
from rexvet_coaching.api.wording import Words
from rexvet_coaching.application.read_models import (
    CoachAssignmentOut,
    CoacheeDetailOut,
    CoacheeOut,
    CoachQueueOut,
    EnrolmentOut,
    LadderOut,
    PendingSignOffOut,
    SummaryOut,
)
from rexvet_coaching.application.service import CoachingService
from rexvet_coaching.application.views import enrolment_view
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_common.auth import Principal
from rexvet_common.problems import NotFound

router = APIRouter(prefix="/v1", tags=["coaches and managers"], route_class=ReadModelRoute)


class CoachAssignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    coach_id: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None


async def readable_record(principal: Principal, service: CoachingService, staff_id: str) -> StaffRecord:
    """Staff see their own data, coaches their coachees, managers their institution; anything else looks absent."""
    record = await service.records.get(principal.tenant, staff_id)
    if staff_id == principal.sub:
        return record or StaffRecord(tenant=principal.tenant, staff_id=staff_id)
    if record is not None and principal.roles & SEE_INSTITUTION:
        return record
    if record is not None and "coach" in principal.roles and record.coach_id == principal.sub:
        return record
    raise NotFound(f"no staff member {staff_id!r} you can see in your institution")


@router.get("/staff/{staff_id}/ladder", summary="A staff member's ladder")
async def staff_ladder(staff_id: str, principal: StaffReader, service: Service) -> LadderOut:
    return await service.ladder_of(await readable_record(principal, service, staff_id))


@router.get("/staff/{staff_id}/enrolments", summary="A staff member's enrolments")
async def staff_enrolments(staff_id: str, principal: StaffReader, service: Service, words: Words) -> list[EnrolmentOut]:
    record = await readable_record(principal, service, staff_id)
    return words.enrolments([enrolment_view(record, e) for e in record.enrolments])


@router.get("/staff/{staff_id}/enrolments/{enrolment_id}", summary="One enrolment of a staff member")
async def staff_enrolment(
    staff_id: str, enrolment_id: str, principal: StaffReader, service: Service, words: Words
) -> EnrolmentOut:
    record = await readable_record(principal, service, staff_id)
    return words.enrolment(service.enrolment_of(record, enrolment_id))


@router.post(
    "/staff/{staff_id}/enrolments/{enrolment_id}/steps/{step_id}/sign-off", summary="Sign off a coachee's coach step"
)
async def sign_off(
    staff_id: str, enrolment_id: str, step_id: str, principal: CoachWriter, service: Service, words: Words
) -> EnrolmentOut:
    return words.enrolment(await service.sign_off(principal.tenant, principal.sub, staff_id, enrolment_id, step_id))


@router.put("/staff/{staff_id}/coach", summary="Assign a coach to a staff member (manager, institution admin)")
async def assign_coach(
    staff_id: str, body: CoachAssignment, principal: ManagerWriter, service: Service
) -> CoachAssignmentOut:
    return await service.assign_coach(principal.tenant, staff_id, body.coach_id)


@router.get("/coach/coachees", summary="Your coachees and where they stand")
async def coachees(principal: CoachReader, service: Service) -> list[CoacheeOut]:
    return await service.coachees(principal.tenant, principal.sub)


@router.get("/coach/sign-offs", summary="Coach steps of your coachees waiting for your sign-off")
async def pending(principal: CoachReader, service: Service, words: Words) -> list[PendingSignOffOut]:
    return words.sign_offs(await service.pending_sign_offs(principal.tenant, principal.sub))


@router.get(
    "/coach/queue",
    summary="Your coachees and their steps waiting for your sign-off, in one answer (the portal's coach pages)",
)
async def coach_queue(
    principal: CoachReader,
    service: Service,
    words: Words,
    coachee: str | None = Query(
        None,
        min_length=1,
        max_length=80,
        description="Also this coachee's ladder and enrolments (a coachee's page); someone you do not coach is a 404",
    ),
) -> CoachQueueOut:
    queue = await service.coach_queue(principal.tenant, principal.sub)
    queue = queue.model_copy(update={"sign_offs": words.sign_offs(queue.sign_offs)})
    if coachee is not None:
        record = await readable_record(principal, service, coachee)
        detail = CoacheeDetailOut(
            staff_id=record.staff_id,
            ladder=await service.ladder_of(record),
            enrolments=words.enrolments([enrolment_view(record, e) for e in record.enrolments]),
        )
        queue = queue.model_copy(update={"coachee": detail})
    return queue


@router.get("/institution/summary", summary="Staff per level x direction x competence area, over time")
async def summary(
    principal: ManagerReader,
    service: Service,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    end: Annotated[datetime | None, Query(alias="to")] = None,
    interval: Literal["day", "week", "month"] = "month",
) -> SummaryOut:
    return await service.summary(principal.tenant, start=start, end=end, interval=interval)
