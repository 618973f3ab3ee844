"""Commands on a staff member's record: enrol, complete a step, coach sign-off, withdraw.

Each command checks everything before it changes anything, so a refused command leaves the record as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rexvet_coaching.domain.eligibility import ENROLMENT_STARTED, STEP_COMPLETED, Outgoing, evaluate
from rexvet_coaching.domain.errors import (
    AlreadyEnrolled,
    Forbidden,
    InvalidInput,
    LevelAlreadyHeld,
    NotFound,
    PathwayNotActive,
    PrerequisiteMissing,
    StepAlreadyCompleted,
    UnknownStep,
)
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import BadgeDefinition, Enrolment, StaffRecord, StepState


def enrol(
    record: StaffRecord,
    framework: Framework,
    badge_id: str,
    *,
    achievement: dict[str, Any],
    now: datetime,
    tenant_extension: bool = False,
) -> tuple[Enrolment, list[Outgoing]]:
    badge = framework.badge(badge_id)
    if badge is None:
        raise NotFound(f"badge {badge_id!r} is not in framework version {framework.version}")
    if record.open_enrolment(badge.id) is not None:
        raise AlreadyEnrolled(f"you are already enrolled in {badge.title!r}: continue that pathway or withdraw first")
    if record.holds(badge.direction, badge.level):
        raise LevelAlreadyHeld(f"you already hold {badge.title!r}: enrol in the next level instead")
    missing = [p for p in badge.prerequisites if not record.holds_in_force(p.direction, p.level)]
    if missing:
        names = ", ".join(_rung_name(framework, p.direction, p.level) for p in missing)
        raise PrerequisiteMissing(f"{badge.title!r} requires {names}: earn that badge first")
    level = framework.level(badge.level)
    assert level is not None  # the loader guarantees references resolve
    episode = record.episode(badge.id)
    definition = BadgeDefinition.render(badge, achievement)
    enrolment = Enrolment(
        id=f"{badge.id}-{len(record.enrolments) + 1}",
        badge_id=badge.id,
        framework_version=framework.version,
        tenant_extension=tenant_extension,
        episode=episode,
        direction=badge.direction,
        level=badge.level,
        level_rank=level.rank,
        definition=definition.ref,
        started_at=now,
        updated_at=now,
    )
    enrolment.resolve(definition)
    enrolment.request_sign_offs(now)  # a module that opens with a coach step asks for it at once
    record.enrolments = [*record.enrolments, enrolment]
    started = Outgoing(
        ENROLMENT_STARTED,
        {
            "institution": record.tenant,
            "staff_id": record.staff_id,
            "enrolment_id": enrolment.id,
            "badge_id": badge.id,
            "framework_version": framework.version,
            "episode": episode,
            "direction": badge.direction,
            "level": badge.level,
        },
    )
    # HR events or evidence received before enrolling already count, but steps are needed too, so this rarely fires.
    return enrolment, [started, *evaluate(record, enrolment)]


def _rung_name(framework: Framework, direction_id: str, level_id: str) -> str:
    badge = framework.badge_at(direction_id, level_id)
    return repr(badge.title) if badge else f"{direction_id}/{level_id}"


def _open_enrolment(record: StaffRecord, enrolment_id: str) -> Enrolment:
    enrolment = record.enrolment(enrolment_id)
    if enrolment is None:
        raise NotFound(f"enrolment {enrolment_id!r} does not exist: list your enrolments at /v1/me/enrolments")
    if enrolment.status == "paused":
        raise PathwayNotActive(f"this pathway is paused: {enrolment.paused_reason}")
    if enrolment.status != "active":
        raise PathwayNotActive(f"this pathway is {enrolment.status}; steps can only change on an active pathway")
    return enrolment


def _refuse_repeated_close(record: StaffRecord, enrolment_id: str, step_id: str, *, by_coach: bool) -> None:
    """A step closed already is answered so whatever the pathway became since: a client whose first answer was lost
    learns that its call took effect, even when that call completed the pathway (now eligible or awarded, where the
    open-pathway check would answer a refusal instead)."""
    enrolment = record.enrolment(enrolment_id)
    step = enrolment.badge_definition().step(step_id) if enrolment is not None else None
    if enrolment is None or step is None or (step.sign_off == "coach") != by_coach:
        return
    if enrolment.step_state(step_id) is not None:
        raise StepAlreadyCompleted(f"step {step_id!r} is already {'signed off' if by_coach else 'completed'}")


def complete_step(record: StaffRecord, enrolment_id: str, step_id: str, *, actor: str, now: datetime) -> list[Outgoing]:
    """The staff member closes one of their own `self` steps."""
    _refuse_repeated_close(record, enrolment_id, step_id, by_coach=False)
    enrolment = _open_enrolment(record, enrolment_id)
    step = enrolment.badge_definition().step(step_id)
    if step is None:
        raise UnknownStep(f"step {step_id!r} is not part of {enrolment.badge_id!r}")
    if step.sign_off == "coach":
        raise Forbidden(f"step {step_id!r} is closed by your coach's sign-off, not by you")
    if enrolment.step_state(step_id) is not None:
        raise StepAlreadyCompleted(f"step {step_id!r} is already completed")
    return _close_step(record, enrolment, step_id, actor=actor, signed_off=False, now=now)


def sign_off_step(record: StaffRecord, enrolment_id: str, step_id: str, *, coach: str, now: datetime) -> list[Outgoing]:
    """A coach closes a `coach` step of a coachee; never their own, never someone else's coachee."""
    if coach == record.staff_id:
        raise Forbidden("you cannot sign off a step of your own pathway: your coach does that")
    if record.coach_id is not None and record.coach_id != coach:
        raise Forbidden(f"only {record.staff_id}'s coach can sign off their steps")
    _refuse_repeated_close(record, enrolment_id, step_id, by_coach=True)
    enrolment = _open_enrolment(record, enrolment_id)
    step = enrolment.badge_definition().step(step_id)
    if step is None:
        raise UnknownStep(f"step {step_id!r} is not part of {enrolment.badge_id!r}")
    if step.sign_off != "coach":
        raise InvalidInput(f"step {step_id!r} is completed by the staff member, not signed off by a coach")
    if enrolment.step_state(step_id) is not None:
        raise StepAlreadyCompleted(f"step {step_id!r} is already signed off")
    return _close_step(record, enrolment, step_id, actor=coach, signed_off=True, now=now)


def _close_step(
    record: StaffRecord, enrolment: Enrolment, step_id: str, *, actor: str, signed_off: bool, now: datetime
) -> list[Outgoing]:
    enrolment.steps = [
        *enrolment.steps,
        StepState(step_id=step_id, completed_at=now, completed_by=actor, signed_off=signed_off),
    ]
    enrolment.updated_at = now
    enrolment.request_sign_offs(now)  # the step that closed the last one before a coach step asks for its sign-off
    completed = Outgoing(
        STEP_COMPLETED,
        {
            "institution": record.tenant,
            "staff_id": record.staff_id,
            "enrolment_id": enrolment.id,
            "badge_id": enrolment.badge_id,
            "step_id": step_id,
            "completed_by": actor,
            "signed_off": signed_off,
        },
    )
    return [completed, *evaluate(record, enrolment)]


def withdraw(record: StaffRecord, enrolment_id: str, *, now: datetime) -> None:
    enrolment = record.enrolment(enrolment_id)
    if enrolment is None:
        raise NotFound(f"enrolment {enrolment_id!r} does not exist")
    if enrolment.status not in ("active", "paused"):
        raise PathwayNotActive(f"a pathway that is {enrolment.status} cannot be withdrawn from")
    enrolment.status = "withdrawn"
    enrolment.updated_at = now


def assign_coach(record: StaffRecord, coach_id: str | None) -> None:
    if coach_id is not None and coach_id == record.staff_id:
        raise InvalidInput("a staff member cannot be their own coach")
    record.coach_id = coach_id
