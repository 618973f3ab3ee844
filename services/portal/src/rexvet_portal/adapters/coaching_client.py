"""The portal's client of the coaching service: the ladder, the framework, enrolling, a pathway's steps, the
self-assessment."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from rexvet_portal.adapters.service_http import ServiceClient
from rexvet_portal.domain.coaching import Coachee, CoacheeDetail, CoachingQueue, PendingSignOff
from rexvet_portal.domain.framework import (
    Badge,
    CoachingModule,
    CoachingStep,
    Direction,
    EvidenceRequirement,
    Framework,
    Level,
    Prerequisite,
    Resource,
    TrainingTopic,
)
from rexvet_portal.domain.ladder import DirectionStanding, NextStepData, Pathway, Standing
from rexvet_portal.domain.pathway import (
    Answer,
    Enrolment,
    EnrolmentStep,
    Question,
    Questionnaire,
    RequirementStatus,
    SelfAssessmentResult,
    StepState,
)


class CoachingClient(ServiceClient):
    async def ladder(self, token: str) -> Standing:
        return standing_from(await self.http.call("GET", "/v1/me/ladder", token=token))

    async def framework(self, tenant: str, token: str, version: int | None = None) -> Framework:
        params = {"version": version} if version is not None else None
        body = await self.http.call(
            "GET", f"/v1/institutions/{quote(tenant, safe='')}/framework", token=token, params=params
        )
        return framework_from(body)

    async def enrol(self, token: str, badge_id: str, coach_id: str | None) -> str:
        request: dict[str, Any] = {"badge_id": badge_id}
        if coach_id:
            request["coach_id"] = coach_id
        body = await self.http.call("POST", "/v1/me/enrolments", token=token, json=request)
        return str(body["id"])

    async def enrolment(self, token: str, enrolment_id: str) -> Enrolment:
        body = await self.http.call("GET", f"/v1/me/enrolments/{quote(enrolment_id, safe='')}", token=token)
        return enrolment_from(body)

    async def complete_step(self, token: str, enrolment_id: str, step_id: str) -> Enrolment:
        path = f"/v1/me/enrolments/{quote(enrolment_id, safe='')}/steps/{quote(step_id, safe='')}/complete"
        return enrolment_from(await self.http.call("POST", path, token=token))

    async def coach_queue(self, token: str, coachee: str | None = None) -> CoachingQueue:
        params = {"coachee": coachee} if coachee is not None else None
        body = await self.http.call("GET", "/v1/coach/queue", token=token, params=params)
        detail = body.get("coachee")
        return CoachingQueue(
            coachee=CoacheeDetail(
                standing=standing_from(detail["ladder"]),
                enrolments=[enrolment_from(item) for item in detail["enrolments"]],
            )
            if detail
            else None,
            coachees=[
                Coachee(str(c["staff_id"]), c.get("display_name"), int(c.get("pending_sign_offs", 0)))
                for c in body["coachees"]
            ],
            sign_offs=[
                PendingSignOff(
                    staff_id=str(p["staff_id"]),
                    display_name=p.get("display_name"),
                    enrolment_id=str(p["enrolment_id"]),
                    badge_id=str(p["badge_id"]),
                    badge_title=str(p["badge_title"]),
                    step_id=str(p["step_id"]),
                    step_title=str(p["step_title"]),
                    requested_at=_time(p.get("requested_at")),
                )
                for p in body["sign_offs"]
            ],
        )

    async def sign_off(self, token: str, staff_id: str, enrolment_id: str, step_id: str) -> Enrolment:
        path = (
            f"/v1/staff/{quote(staff_id, safe='')}/enrolments/{quote(enrolment_id, safe='')}"
            f"/steps/{quote(step_id, safe='')}/sign-off"
        )
        return enrolment_from(await self.http.call("POST", path, token=token))

    async def questionnaire(self, token: str, direction: str) -> Questionnaire:
        path = f"/v1/framework/self-assessment/{quote(direction, safe='')}"
        return questionnaire_from(await self.http.call("GET", path, token=token))

    async def self_assess(
        self, token: str, direction: str, answers: dict[str, str], framework_version: int
    ) -> SelfAssessmentResult:
        body = await self.http.call(
            "POST",
            f"/v1/me/self-assessments/{quote(direction, safe='')}",
            token=token,
            json={"answers": answers, "framework_version": framework_version},
        )
        return self_assessment_from(body)


def standing_from(body: dict[str, Any]) -> Standing:
    directions = []
    for item in body["directions"]:
        pathway = item.get("pathway")
        step = item["next_step"]
        directions.append(
            DirectionStanding(
                direction=item["direction"]["id"],
                # a suspended badge's level is paused: the ladder shows the level below it
                levels_held=tuple(h["level"] for h in item.get("levels_held", []) if not h.get("suspended")),
                pathway=Pathway(pathway["enrolment_id"], pathway["badge_id"], pathway["status"]) if pathway else None,
                next_step=NextStepData(
                    action=step["action"],
                    badge_id=step.get("badge_id"),
                    step_id=step.get("step_id"),
                    requirement_id=step.get("requirement_id"),
                    enrolment_id=step.get("enrolment_id"),
                ),
            )
        )
    return Standing(
        institution=body["institution"],
        staff_id=body["staff_id"],
        framework_version=int(body["framework_version"]),
        directions=tuple(directions),
    )


def _module(body: dict[str, Any]) -> CoachingModule:
    return CoachingModule(
        definition=body["definition"],
        for_you_if=tuple(body.get("for_you_if", [])),
        what_you_learn=tuple(body.get("what_you_learn", [])),
        learning_outcomes=tuple(body.get("learning_outcomes", [])),
        training_topics=tuple(
            TrainingTopic(
                title=topic["title"],
                resources=tuple(Resource(r["title"], r["url"], r["kind"]) for r in topic.get("resources", [])),
            )
            for topic in body.get("training_topics", [])
        ),
        steps=tuple(
            CoachingStep(s["id"], s["title"], s["description"], s["sign_off"], bool(s["required"]))
            for s in body.get("steps", [])
        ),
        evidence=tuple(
            EvidenceRequirement(
                id=e["id"],
                description=e["description"],
                accepts_evidence=bool(e["accepts_evidence"]),
                hr_matches=tuple(m.get("narrative") or m["rule"] for m in e.get("hr_matches", [])),
            )
            for e in body.get("evidence", [])
        ),
    )


def framework_from(body: dict[str, Any]) -> Framework:
    return Framework(
        version=int(body["version"]),
        title=body["title"],
        directions=tuple(Direction(d["id"], d["name"], d.get("description", "")) for d in body["directions"]),
        levels=tuple(Level(lv["id"], lv["name"], int(lv["rank"]), lv.get("description", "")) for lv in body["levels"]),
        badges=tuple(
            Badge(
                id=b["id"],
                direction=b["direction"],
                level=b["level"],
                title=b["title"],
                description=b["description"],
                module=_module(b["module"]),
                prerequisites=tuple(Prerequisite(p["direction"], p["level"]) for p in b.get("prerequisites", [])),
                image_url=b.get("image"),
            )
            for b in body["badges"]
        ),
    )


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def enrolment_from(body: dict[str, Any]) -> Enrolment:
    started = _time(body["started_at"])
    assert started is not None
    return Enrolment(
        id=str(body["id"]),
        badge_id=str(body["badge_id"]),
        title=str(body["title"]),
        direction=str(body["direction"]),
        level=str(body["level"]),
        status=str(body["status"]),
        started_at=started,
        steps=tuple(
            EnrolmentStep(
                id=s["id"],
                title=s["title"],
                description=s["description"],
                sign_off=s["sign_off"],
                required=bool(s["required"]),
                state=StepState(s["state"]),
                completed_at=_time(s.get("completed_at")),
                completed_by=s.get("completed_by"),
            )
            for s in body.get("steps", [])
        ),
        requirements=tuple(
            RequirementStatus(r["id"], r["description"], bool(r["met"])) for r in body.get("evidence_requirements", [])
        ),
    )


def questionnaire_from(body: dict[str, Any]) -> Questionnaire:
    return Questionnaire(
        direction=str(body["direction"]),
        title=str(body["title"]),
        framework_version=int(body["framework_version"]),
        questions=tuple(
            Question(
                id=q["id"],
                text=q["text"],
                answers=tuple(Answer(a["id"], a["text"], a.get("level")) for a in q["answers"]),
            )
            for q in body["questions"]
        ),
    )


def self_assessment_from(body: dict[str, Any]) -> SelfAssessmentResult:
    return SelfAssessmentResult(
        direction=str(body["direction"]),
        reached_level=body.get("reached_level"),
        suggested_level=str(body["suggested_level"]),
        suggested_badge_id=body.get("suggested_badge_id"),
    )
