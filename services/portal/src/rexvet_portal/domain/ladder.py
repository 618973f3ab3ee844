"""The ladder picture: per direction, each level as a rung that is held, in progress, next or locked.

Coaching says where a person stands (`GET /v1/me/ladder`); the framework says which rungs exist. This joins the two
into what the page draws, and keeps the next step as data (an action and the names it needs) so that the page can say
it in the person's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rexvet_portal.domain.framework import Framework


class RungState(StrEnum):
    HELD = "held"
    IN_PROGRESS = "in_progress"
    NEXT = "next"
    LOCKED = "locked"


@dataclass(frozen=True)
class Pathway:
    enrolment_id: str
    badge_id: str
    status: str


@dataclass(frozen=True)
class NextStepData:
    """Coaching's next step: `action` (enrol, complete_step, await_sign_off, submit_evidence, await_issuance,
    resume, top) and the ids it refers to."""

    action: str
    badge_id: str | None = None
    step_id: str | None = None
    requirement_id: str | None = None
    enrolment_id: str | None = None


@dataclass(frozen=True)
class DirectionStanding:
    direction: str
    levels_held: tuple[str, ...]
    pathway: Pathway | None
    next_step: NextStepData


@dataclass(frozen=True)
class Standing:
    institution: str
    staff_id: str
    framework_version: int
    directions: tuple[DirectionStanding, ...]


@dataclass(frozen=True)
class Rung:
    level_id: str
    level_name: str
    rank: int
    state: RungState
    badge_id: str | None
    badge_title: str | None


@dataclass(frozen=True)
class NextStep:
    """The next step with the names it needs, for the page to put into words."""

    action: str
    badge_id: str | None
    badge_title: str | None
    step_title: str | None
    requirement: str | None
    direction_name: str


@dataclass(frozen=True)
class DirectionPicture:
    direction_id: str
    direction_name: str
    rungs: tuple[Rung, ...]  # lowest first
    next_step: NextStep
    pathway_id: str | None = None  # the enrolment in progress in this direction, if any

    @property
    def held(self) -> list[Rung]:
        return [rung for rung in self.rungs if rung.state is RungState.HELD]

    @property
    def top_down(self) -> list[Rung]:
        return list(reversed(self.rungs))


@dataclass(frozen=True)
class LadderPicture:
    directions: tuple[DirectionPicture, ...]


def _rung_state(
    level_id: str, badge_id: str | None, standing: DirectionStanding, first_open_rank: int | None, rank: int
) -> RungState:
    if level_id in standing.levels_held:
        return RungState.HELD
    if standing.pathway is not None and badge_id is not None and standing.pathway.badge_id == badge_id:
        return RungState.IN_PROGRESS
    if standing.pathway is None and first_open_rank is not None and rank == first_open_rank:
        return RungState.NEXT
    return RungState.LOCKED


def ladder_picture(standing: Standing, framework: Framework) -> LadderPicture:
    pictures = []
    levels = framework.ordered_levels()
    for direction_standing in standing.directions:
        direction = framework.direction(direction_standing.direction)
        direction_name = direction.name if direction else direction_standing.direction
        held_ranks = [level.rank for level in levels if level.id in direction_standing.levels_held]
        above = [level.rank for level in levels if level.rank > max(held_ranks, default=0)]
        first_open_rank = min(above, default=None)
        rungs = []
        for level in levels:
            badge = framework.badge_at(direction_standing.direction, level.id)
            state = _rung_state(level.id, badge.id if badge else None, direction_standing, first_open_rank, level.rank)
            rungs.append(
                Rung(
                    level_id=level.id,
                    level_name=level.name,
                    rank=level.rank,
                    state=state,
                    badge_id=badge.id if badge else None,
                    badge_title=badge.title if badge else None,
                )
            )
        pictures.append(
            DirectionPicture(
                direction_id=direction_standing.direction,
                direction_name=direction_name,
                rungs=tuple(rungs),
                next_step=_next_step(direction_standing, framework, direction_name),
                pathway_id=direction_standing.pathway.enrolment_id if direction_standing.pathway else None,
            )
        )
    return LadderPicture(directions=tuple(pictures))


def _next_step(standing: DirectionStanding, framework: Framework, direction_name: str) -> NextStep:
    data = standing.next_step
    badge_id = data.badge_id or (standing.pathway.badge_id if standing.pathway else None)
    badge = framework.badge(badge_id) if badge_id else None
    step_title = None
    requirement = None
    if badge is not None and data.step_id:
        step_title = next((s.title for s in badge.module.steps if s.id == data.step_id), data.step_id)
    if badge is not None and data.requirement_id:
        requirement = next(
            (r.description for r in badge.module.evidence if r.id == data.requirement_id), data.requirement_id
        )
    return NextStep(
        action=data.action,
        badge_id=badge_id,
        badge_title=badge.title if badge else badge_id,
        step_title=step_title,
        requirement=requirement,
        direction_name=direction_name,
    )
