"""The read models of records: an enrolment with its steps, a coachee, pending sign-offs (see `read_models`)."""

from __future__ import annotations

from rexvet_coaching.application.read_models import (
    CoacheeLevelOut,
    CoacheeOut,
    EnrolmentOut,
    NextStep,
    OpenPathwayOut,
    PendingSignOffOut,
    RequirementStatusOut,
    StepOut,
)
from rexvet_coaching.domain.eligibility import requirement_statuses
from rexvet_coaching.domain.framework import CoachingStep
from rexvet_coaching.domain.ladder import pathway_next_step
from rexvet_coaching.domain.progress import OPEN_STATUSES, Enrolment, StaffRecord, StepState

# What an enrolment's and a step's read models show of the domain's objects as they are (timestamps are written out).
ENROLMENT_FIELDS = {
    *("id", "badge_id", "direction", "level", "framework_version", "episode", "status"),
    *("paused_reason", "eligibility_id", "credential_id"),
}
STEP_FIELDS = {"id", "title", "description", "sign_off", "required"}


def _step_view(step: CoachingStep, state: StepState | None) -> StepOut:
    return StepOut(
        **step.model_dump(include=STEP_FIELDS),
        state="open" if state is None else ("signed_off" if state.signed_off else "completed"),
        completed_at=state.completed_at.isoformat() if state else None,
        completed_by=state.completed_by if state else None,
    )


def enrolment_view(record: StaffRecord, enrolment: Enrolment) -> EnrolmentOut:
    badge = enrolment.badge_definition()
    view = EnrolmentOut(
        **enrolment.model_dump(include=ENROLMENT_FIELDS),
        staff_id=record.staff_id,
        title=badge.title,
        started_at=enrolment.started_at.isoformat(),
        updated_at=enrolment.updated_at.isoformat(),
        steps=[_step_view(step, enrolment.step_state(step.id)) for step in badge.module.steps],
        evidence_requirements=[
            RequirementStatusOut(id=s.requirement.id, description=s.requirement.description, met=s.met)
            for s in requirement_statuses(record, enrolment, badge)
        ],
    )
    if enrolment.status in OPEN_STATUSES:
        # set only while open: a closed pathway's JSON has no `next_step` key (not a null one)
        view = view.model_copy(update={"next_step": NextStep.model_validate(pathway_next_step(record, enrolment))})
    return view


def pending_sign_offs(record: StaffRecord) -> list[PendingSignOffOut]:
    pending = []
    for enrolment in record.enrolments:
        if enrolment.status != "active":
            continue
        badge = enrolment.badge_definition()
        for step in badge.module.steps:
            if step.sign_off == "coach" and enrolment.step_state(step.id) is None:
                requested_at = enrolment.sign_off_requested_at(step.id)
                pending.append(
                    PendingSignOffOut(
                        staff_id=record.staff_id,
                        enrolment_id=enrolment.id,
                        badge_id=enrolment.badge_id,
                        badge_title=badge.title,
                        step_id=step.id,
                        step_title=step.title,
                        requested_at=requested_at.isoformat() if requested_at else None,
                    )
                )
    return pending


def coachee_view(record: StaffRecord, *, pending: int | None = None) -> CoacheeOut:
    """`pending`: the number of waiting sign-offs when the caller has counted them already."""
    return CoacheeOut(
        staff_id=record.staff_id,
        levels_held=[
            CoacheeLevelOut(direction=h.direction, level=h.level, badge_id=h.badge_id)
            for h in sorted(record.held, key=lambda h: (h.direction, h.rank))
        ],
        open_pathways=[
            OpenPathwayOut(enrolment_id=e.id, badge_id=e.badge_id, status=e.status)
            for e in record.enrolments
            if e.status in OPEN_STATUSES
        ],
        pending_sign_offs=len(pending_sign_offs(record)) if pending is None else pending,
    )
