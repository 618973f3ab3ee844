"""The self-assessment and a pathway in progress: what their pages show, and what their forms do.

As everywhere in the portal, the services decide who may see and do what; a refusal arrives as an error of
`application/errors.py` (another person's enrolment is coaching's 404).
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from dataclasses import dataclass

from rexvet_portal.application.ports import CoachingPort, EvidencePort
from rexvet_portal.domain.framework import Badge, Framework
from rexvet_portal.domain.pathway import (
    Enrolment,
    EvidenceItem,
    Missing,
    Questionnaire,
    SelfAssessmentResult,
    evidence_for,
    missing_for_badge,
)
from rexvet_portal.domain.session import Session


@dataclass(frozen=True)
class QuestionnaireView:
    questionnaire: Questionnaire
    direction_name: str


@dataclass(frozen=True)
class SuggestionView:
    result: SelfAssessmentResult
    direction_name: str
    level_name: str
    reached_level_name: str | None
    badge: Badge | None


class SelfAssessment:
    def __init__(self, coaching: CoachingPort) -> None:
        self.coaching = coaching

    async def questionnaire(self, session: Session, direction: str) -> QuestionnaireView:
        token = session.tokens.access_token
        questionnaire = await self.coaching.questionnaire(token, direction)
        framework = await self.coaching.framework(session.person.tenant, token, questionnaire.framework_version)
        return QuestionnaireView(questionnaire, _direction_name(framework, direction))

    async def answer(self, session: Session, view: QuestionnaireView, answers: dict[str, str]) -> SuggestionView:
        token = session.tokens.access_token
        questionnaire = view.questionnaire
        result = await self.coaching.self_assess(
            token, questionnaire.direction, answers, questionnaire.framework_version
        )
        framework = await self.coaching.framework(session.person.tenant, token, questionnaire.framework_version)
        level = framework.level(result.suggested_level)
        reached = framework.level(result.reached_level) if result.reached_level else None
        return SuggestionView(
            result=result,
            direction_name=view.direction_name,
            level_name=level.name if level else result.suggested_level,
            reached_level_name=reached.name if reached else result.reached_level,
            badge=framework.badge(result.suggested_badge_id) if result.suggested_badge_id else None,
        )


def _direction_name(framework: Framework, direction_id: str) -> str:
    direction = framework.direction(direction_id)
    return direction.name if direction else direction_id


@dataclass(frozen=True)
class PathwayView:
    enrolment: Enrolment
    evidence: dict[str, list[EvidenceItem]]  # requirement id -> what was sent for it, newest first
    missing: Missing
    max_upload_bytes: int


class PathwayPage:
    """Two calls: the enrolment from coaching, the person's evidence from the evidence service."""

    def __init__(self, coaching: CoachingPort, evidence: EvidencePort, max_upload_bytes: int) -> None:
        self.coaching = coaching
        self.evidence = evidence
        self.max_upload_bytes = max_upload_bytes

    async def run(self, session: Session, enrolment_id: str) -> PathwayView:
        token = session.tokens.access_token
        enrolment = await self.coaching.enrolment(token, enrolment_id)
        items = await self.evidence.mine(token)
        return PathwayView(
            enrolment=enrolment,
            evidence=evidence_for(enrolment, items),
            missing=missing_for_badge(enrolment),
            max_upload_bytes=self.max_upload_bytes,
        )


class CompleteStep:
    def __init__(self, coaching: CoachingPort) -> None:
        self.coaching = coaching

    async def run(self, session: Session, enrolment_id: str, step_id: str) -> Enrolment:
        return await self.coaching.complete_step(session.tokens.access_token, enrolment_id, step_id)


@dataclass(frozen=True)
class NewEvidence:
    requirement_id: str
    title: str
    description: str | None


class SubmitEvidence:
    """Creates the evidence (`POST /v1/evidence`), then streams its file to it (`PUT .../file`).

    `existing_id`: evidence created by an earlier try whose file did not arrive; only the file is sent again.
    """

    def __init__(self, coaching: CoachingPort, evidence: EvidencePort) -> None:
        self.coaching = coaching
        self.evidence = evidence

    async def create(self, session: Session, enrolment: Enrolment, new: NewEvidence) -> EvidenceItem:
        return await self.evidence.submit(
            session.tokens.access_token,
            title=new.title,
            description=new.description,
            badge_id=enrolment.badge_id,
            requirement_id=new.requirement_id,
        )

    async def attach(
        self, session: Session, evidence_id: str, chunks: AsyncIterable[bytes], content_type: str
    ) -> EvidenceItem:
        return await self.evidence.attach_file(session.tokens.access_token, evidence_id, chunks, content_type)

    async def resubmit(self, session: Session, evidence_id: str, description: str | None) -> EvidenceItem:
        """Evidence the coach returned for revision, sent back (its file replaced first by `attach` if a new one
        came): the same evidence, its earlier submissions and reviews kept, never a new piece."""
        return await self.evidence.resubmit(session.tokens.access_token, evidence_id, description)
