"""A staff member's own pathway: enrol, steps, withdraw, the ladder, the self-assessment, where badges go."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from rexvet_coaching.api.deps import Service, StaffReader, StaffWriter
from rexvet_coaching.api.read_model_route import ReadModelRoute
from rexvet_coaching.api.wording import Words
from rexvet_coaching.application.read_models import EnrolmentOut, LadderOut, RecipientOut, SelfAssessmentOut

router = APIRouter(prefix="/v1/me", tags=["my pathway"], route_class=ReadModelRoute)

Id = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._:@-]+$")]


class EnrolmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    badge_id: Id
    framework_version: int | None = Field(default=None, ge=1, description="Default: the latest published version")
    coach_id: Id | None = Field(default=None, description="Your coach's staff id, who will sign off coach steps")


class SelfAssessmentAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[Id, Id] = Field(description="question id -> answer id, for every question of the direction")
    framework_version: int | None = Field(default=None, ge=1)


class RecipientRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)] | None = None
    did: Annotated[str, StringConstraints(pattern=r"^did:[a-z0-9]+:\S+$", max_length=2000)] | None = None


@router.post("/enrolments", status_code=201, summary="Enrol in a badge pathway")
async def enrol(
    body: EnrolmentRequest, principal: StaffWriter, service: Service, response: Response, words: Words
) -> EnrolmentOut:
    view = await service.enrol(
        principal.tenant,
        principal.sub,
        body.badge_id,
        framework_version=body.framework_version,
        coach_id=body.coach_id,
    )
    response.headers["Location"] = f"/v1/me/enrolments/{view.id}"
    return words.enrolment(view)


@router.get("/enrolments", summary="Your enrolments with their steps")
async def my_enrolments(principal: StaffReader, service: Service, words: Words) -> list[EnrolmentOut]:
    return words.enrolments(await service.enrolments(principal.tenant, principal.sub))


@router.get("/enrolments/{enrolment_id}", summary="One of your enrolments, its steps and their state")
async def my_enrolment(enrolment_id: str, principal: StaffReader, service: Service, words: Words) -> EnrolmentOut:
    return words.enrolment(await service.enrolment(principal.tenant, principal.sub, enrolment_id))


@router.post("/enrolments/{enrolment_id}/steps/{step_id}/complete", summary="Complete one of your own steps")
async def complete_step(
    enrolment_id: str, step_id: str, principal: StaffWriter, service: Service, words: Words
) -> EnrolmentOut:
    return words.enrolment(await service.complete_step(principal.tenant, principal.sub, enrolment_id, step_id))


@router.post("/enrolments/{enrolment_id}/withdraw", summary="Withdraw from a pathway")
async def withdraw(enrolment_id: str, principal: StaffWriter, service: Service, words: Words) -> EnrolmentOut:
    return words.enrolment(await service.withdraw(principal.tenant, principal.sub, enrolment_id))


@router.get("/ladder", summary="Your ladder: per direction the level held, the pathway and the next step")
async def my_ladder(principal: StaffReader, service: Service) -> LadderOut:
    return await service.ladder(principal.tenant, principal.sub)


@router.post("/self-assessments/{direction}", summary="Answer the self-assessment; get a suggested starting level")
async def self_assess(
    direction: str, body: SelfAssessmentAnswers, principal: StaffWriter, service: Service
) -> SelfAssessmentOut:
    return await service.self_assess(
        principal.tenant, principal.sub, direction, dict(body.answers), framework_version=body.framework_version
    )


@router.put("/recipient", summary="Where your badges go: an e-mail address (hashed in the badge) or your DID")
async def set_recipient(body: RecipientRequest, principal: StaffWriter, service: Service) -> RecipientOut:
    return await service.set_recipient(principal.tenant, principal.sub, email=body.email, did=body.did)
