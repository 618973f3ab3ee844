"""JSON views of records for the API: an enrolment with its steps, a coachee, pending sign-offs."""

from __future__ import annotations

from typing import Any

from rexvet_coaching.domain.eligibility import requirement_statuses
from rexvet_coaching.domain.ladder import pathway_next_step
from rexvet_coaching.domain.progress import OPEN_STATUSES, Enrolment, StaffRecord


def enrolment_view(record: StaffRecord, enrolment: Enrolment) -> dict[str, Any]:
    badge = enrolment.badge_definition()
    steps = []
    for step in badge.module.steps:
        state = enrolment.step_state(step.id)
        steps.append(
            {
                "id": step.id,
                "title": step.title,
                "description": step.description,
                "sign_off": step.sign_off,
                "required": step.required,
                "state": "open" if state is None else ("signed_off" if state.signed_off else "completed"),
                "completed_at": state.completed_at.isoformat() if state else None,
                "completed_by": state.completed_by if state else None,
            }
        )
    view: dict[str, Any] = {
        "id": enrolment.id,
        "staff_id": record.staff_id,
        "badge_id": enrolment.badge_id,
        "title": badge.title,
        "direction": enrolment.direction,
        "level": enrolment.level,
        "framework_version": enrolment.framework_version,
        "episode": enrolment.episode,
        "status": enrolment.status,
        "started_at": enrolment.started_at.isoformat(),
        "updated_at": enrolment.updated_at.isoformat(),
        "paused_reason": enrolment.paused_reason,
        "eligibility_id": enrolment.eligibility_id,
        "credential_id": enrolment.credential_id,
        "steps": steps,
        "evidence_requirements": [
            {"id": s.requirement.id, "description": s.requirement.description, "met": s.met}
            for s in requirement_statuses(record, enrolment, badge)
        ],
    }
    if enrolment.status in OPEN_STATUSES:
        view["next_step"] = pathway_next_step(record, enrolment)
    return view


def pending_sign_offs(record: StaffRecord) -> list[dict[str, Any]]:
    pending = []
    for enrolment in record.enrolments:
        if enrolment.status != "active":
            continue
        badge = enrolment.badge_definition()
        for step in badge.module.steps:
            if step.sign_off == "coach" and enrolment.step_state(step.id) is None:
                requested_at = enrolment.sign_off_requested_at(step.id)
                pending.append(
                    {
                        "staff_id": record.staff_id,
                        "enrolment_id": enrolment.id,
                        "badge_id": enrolment.badge_id,
                        "badge_title": badge.title,
                        "step_id": step.id,
                        "step_title": step.title,
                        "requested_at": requested_at.isoformat() if requested_at else None,
                    }
                )
    return pending


def coachee_view(record: StaffRecord, *, pending: int | None = None) -> dict[str, Any]:
    """`pending`: the number of waiting sign-offs when the caller has counted them already."""
    return {
        "staff_id": record.staff_id,
        "levels_held": [
            {"direction": h.direction, "level": h.level, "badge_id": h.badge_id}
            for h in sorted(record.held, key=lambda h: (h.direction, h.rank))
        ],
        "open_pathways": [
            {"enrolment_id": e.id, "badge_id": e.badge_id, "status": e.status}
            for e in record.enrolments
            if e.status in OPEN_STATUSES
        ],
        "pending_sign_offs": len(pending_sign_offs(record)) if pending is None else pending,
    }
