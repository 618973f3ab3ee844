"""A pathway in progress as its page shows it: the steps and who signs each off, the evidence asked for and what
was sent, the coach's comments, and what is still missing before the badge can be issued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class StepState(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"  # a `self` step its owner closed
    SIGNED_OFF = "signed_off"  # a `coach` step the coach closed


@dataclass(frozen=True)
class EnrolmentStep:
    id: str
    title: str
    description: str
    sign_off: str  # "self" or "coach"
    required: bool
    state: StepState
    completed_at: datetime | None
    completed_by: str | None

    @property
    def done(self) -> bool:
        return self.state is not StepState.OPEN

    @property
    def can_complete(self) -> bool:
        """The staff member closes their own `self` steps; a `coach` step only the coach's sign-off closes."""
        return self.sign_off == "self" and self.state is StepState.OPEN


@dataclass(frozen=True)
class RequirementStatus:
    id: str
    description: str
    met: bool


@dataclass(frozen=True)
class Enrolment:
    id: str
    badge_id: str
    title: str
    direction: str
    level: str
    status: str  # active, paused, completed, withdrawn, ...
    started_at: datetime
    steps: tuple[EnrolmentStep, ...]
    requirements: tuple[RequirementStatus, ...]

    @property
    def open(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Review:
    decision: str  # approved, rejected (and, once the evidence service has it, returned)
    comment: str | None
    reviewer: str
    reviewed_at: datetime | None


@dataclass(frozen=True)
class EvidenceFile:
    size: int
    content_type: str


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    title: str
    description: str | None
    badge_id: str | None
    requirement_id: str | None
    status: str  # submitted, approved, rejected, ...
    submitted_at: datetime | None
    file: EvidenceFile | None
    review: Review | None


@dataclass(frozen=True)
class Missing:
    """What stands between the person and the badge, each item as the page words it."""

    steps_to_complete: tuple[EnrolmentStep, ...]  # the person's own open steps
    awaiting_coach: tuple[EnrolmentStep, ...]  # steps only the coach's sign-off closes, not signed off yet
    requirements: tuple[RequirementStatus, ...]  # evidence requirements not met yet

    @property
    def nothing(self) -> bool:
        return not (self.steps_to_complete or self.awaiting_coach or self.requirements)


def missing_for_badge(enrolment: Enrolment) -> Missing:
    return Missing(
        steps_to_complete=tuple(s for s in enrolment.steps if s.required and s.can_complete),
        awaiting_coach=tuple(s for s in enrolment.steps if s.required and s.sign_off == "coach" and not s.done),
        requirements=tuple(r for r in enrolment.requirements if not r.met),
    )


def evidence_for(enrolment: Enrolment, items: list[EvidenceItem]) -> dict[str, list[EvidenceItem]]:
    """This pathway's evidence by requirement id, newest first (evidence for another badge is left out)."""
    grouped: dict[str, list[EvidenceItem]] = {r.id: [] for r in enrolment.requirements}
    for item in items:
        if item.badge_id == enrolment.badge_id and item.requirement_id in grouped:
            grouped[item.requirement_id].append(item)
    for listed in grouped.values():
        listed.sort(key=lambda item: item.submitted_at.timestamp() if item.submitted_at else 0.0, reverse=True)
    return grouped


@dataclass(frozen=True)
class Answer:
    id: str
    text: str
    level: str | None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Questionnaire:
    direction: str
    title: str
    framework_version: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class SelfAssessmentResult:
    direction: str
    reached_level: str | None  # the highest level the answers show the person works at; None: none yet
    suggested_level: str
    suggested_badge_id: str | None
