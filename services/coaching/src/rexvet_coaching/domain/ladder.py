"""The ladder of one staff member: per direction the level held, the pathway in progress and the next step.

Pilot feedback was that "direction indication was missing", so every direction always ends in one next step in
plain words, with a machine-readable `action` beside it for the user interface.
"""

from __future__ import annotations

from typing import Any

from rexvet_coaching.domain.eligibility import missing_prerequisites, open_steps, requirement_statuses
from rexvet_coaching.domain.framework import Direction, Framework
from rexvet_coaching.domain.progress import Enrolment, StaffRecord


def _step(action: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"action": action, "text": text, **extra}


def pathway_next_step(record: StaffRecord, enrolment: Enrolment) -> dict[str, Any]:
    badge = enrolment.badge_definition()
    if enrolment.status == "paused":
        return _step("resume", f"Your {badge.title} pathway is paused because {enrolment.paused_reason}.")
    if enrolment.status == "eligible":
        return _step("await_issuance", f"You have met every condition of {badge.title}: your badge is being issued.")
    steps = open_steps(enrolment, badge)
    own = [s for s in steps if (step := badge.step(s)) is not None and step.sign_off == "self"]
    if own:
        step = badge.step(own[0])
        assert step is not None
        return _step(
            "complete_step", f"Next in {badge.title}: {step.title}.", step_id=step.id, enrolment_id=enrolment.id
        )
    if steps:
        step = badge.step(steps[0])
        assert step is not None
        return _step(
            "await_sign_off",
            f"Ask your coach to sign off '{step.title}' in {badge.title}.",
            step_id=step.id,
            enrolment_id=enrolment.id,
        )
    unmet = [s.requirement for s in requirement_statuses(record, enrolment, badge) if not s.met]
    if unmet:
        return _step(
            "submit_evidence",
            f"Submit evidence for {badge.title}: {unmet[0].description}",
            requirement_id=unmet[0].id,
            enrolment_id=enrolment.id,
        )
    if missing_prerequisites(record, badge):
        return _step("resume", f"{badge.title} needs the level below it first.")
    return _step("await_issuance", f"Your {badge.title} badge is being checked.")


def _direction_ladder(record: StaffRecord, framework: Framework, direction: Direction) -> dict[str, Any]:
    held = record.highest_held(direction.id)
    open_enrolments = [
        e for e in record.enrolments if e.direction == direction.id and e.status in ("active", "paused", "eligible")
    ]
    pathway = min(open_enrolments, key=lambda e: e.level_rank) if open_enrolments else None
    view: dict[str, Any] = {
        "direction": {"id": direction.id, "name": direction.name},
        "level_held": None,
        "levels_held": [
            {
                "level": h.level,
                "badge_id": h.badge_id,
                "credential_id": h.credential_id,
                "since": h.since.isoformat(),
                "suspended": h.suspended_since is not None,
            }
            for h in sorted(record.held, key=lambda h: h.rank)
            if h.direction == direction.id
        ],
        "pathway": None,
    }
    if held is not None:
        level = framework.level(held.level)
        view["level_held"] = {"id": held.level, "name": level.name if level else held.level, "rank": held.rank}
    if pathway is not None:
        view["pathway"] = {
            "enrolment_id": pathway.id,
            "badge_id": pathway.badge_id,
            "title": pathway.badge_definition().title,
            "status": pathway.status,
            "framework_version": pathway.framework_version,
        }
        view["next_step"] = pathway_next_step(record, pathway)
        return view
    view["next_step"] = _next_rung(record, framework, direction, held.rank if held else 0)
    return view


def _next_rung(record: StaffRecord, framework: Framework, direction: Direction, held_rank: int) -> dict[str, Any]:
    higher = [lv for lv in framework.ordered_levels() if lv.rank > held_rank]
    if not higher:
        return _step(
            "top",
            f"You hold the highest level of {direction.name}: share your badge and mentor colleagues on their way up.",
        )
    badge = framework.badge_at(direction.id, higher[0].id)
    if badge is None:
        return _step("top", f"There is no further badge in {direction.name} in this framework yet.")
    assessment = next((a for a in reversed(record.assessments) if a.direction == direction.id), None)
    hint = ""
    if assessment is not None and held_rank == 0:
        suggested = framework.level(assessment.suggested_level)
        if suggested is not None and suggested.rank > higher[0].rank:
            hint = f"; your self-assessment suggests you already work at {suggested.name} level, so it may go quickly"
    return _step(
        "enrol",
        f"Enrol in the {badge.title} pathway to reach {higher[0].name} in {direction.name}{hint}.",
        badge_id=badge.id,
    )


def ladder_view(record: StaffRecord, framework: Framework) -> dict[str, Any]:
    return {
        "institution": record.tenant,
        "staff_id": record.staff_id,
        "framework_version": framework.version,
        "directions": [_direction_ladder(record, framework, d) for d in framework.directions],
    }
