"""An institution manager's summary: how many staff stand at each level, per direction and competence area, over time.

A person stands at the highest level they hold in a direction at that moment; the ladder history (awards and
revocations, with the badge's competence areas) lets the summary be computed for any past date.

`summarise` computes it from every staff record, which is what the summary means. The service answers from a
projection instead (`application/ladder_projection.py`): each person's history turned into standing changes
(`standing_deltas`: at this instant, one fewer at this level, one more at that one), summed up to each time point by
`summarise_deltas`. Both give the same figures for any history and any points (tests/unit/coaching compare them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import LadderChange, StaffRecord

Held = dict[tuple[str, str], LadderChange]


def _apply(held: Held, change: LadderChange) -> None:
    key = (change.direction, change.level)
    if change.change == "awarded":
        held[key] = change
    else:
        held.pop(key, None)


def _best(held: Held) -> dict[str, LadderChange]:
    """direction -> the change that gives the highest level held."""
    best: dict[str, LadderChange] = {}
    for (direction, _), change in held.items():
        if direction not in best or change.rank > best[direction].rank:
            best[direction] = change
    return best


def _in_order(history: Iterable[LadderChange]) -> list[LadderChange]:
    return sorted(history, key=lambda c: c.at)  # stable: changes at the same instant keep their order


def _standing_at(history: Iterable[LadderChange], at: datetime) -> dict[str, LadderChange]:
    """direction -> the change that gives the highest level held at `at`."""
    held: Held = {}
    for change in _in_order(history):
        if change.at > at:
            break
        _apply(held, change)
    return _best(held)


@dataclass(frozen=True)
class StandingDelta:
    """From `at` on, one person more (+1) or fewer (-1) stands at `level` of `direction` with these areas."""

    at: datetime
    direction: str
    level: str
    competence_areas: tuple[str, ...]
    staff: int


def standing_deltas(history: Iterable[LadderChange]) -> list[StandingDelta]:
    """One person's standing over time as changes: summed up to any instant, they give `_standing_at` there."""
    held: Held = {}
    before: dict[str, LadderChange] = {}
    deltas: list[StandingDelta] = []
    for change in _in_order(history):
        _apply(held, change)
        after = _best(held)
        for direction in sorted(before.keys() | after.keys()):
            old, new = before.get(direction), after.get(direction)
            if _standing(old) == _standing(new):
                continue
            if old is not None:
                deltas.append(StandingDelta(change.at, direction, old.level, tuple(old.competence_areas), -1))
            if new is not None:
                deltas.append(StandingDelta(change.at, direction, new.level, tuple(new.competence_areas), +1))
        before = after
    return deltas


def _standing(change: LadderChange | None) -> tuple[str, tuple[str, ...]] | None:
    return None if change is None else (change.level, tuple(change.competence_areas))


def _series(
    framework: Framework,
    points: Sequence[datetime],
    levels: Sequence[Counter[tuple[str, str]]],
    areas: Sequence[Counter[tuple[str, str, str]]],
) -> list[dict[str, Any]]:
    series = []
    for i, at in enumerate(points):
        series.append(
            {
                "at": at.isoformat(),
                "by_level": [
                    {"direction": d.id, "level": lv.id, "staff": levels[i][(d.id, lv.id)]}
                    for d in framework.directions
                    for lv in framework.ordered_levels()
                ],
                "by_competence_area": [
                    {"direction": d, "level": lv, "competence_area": a, "staff": n}
                    for (d, lv, a), n in sorted(areas[i].items())
                    if n
                ],
            }
        )
    return series


def summarise(records: Iterable[StaffRecord], framework: Framework, points: Sequence[datetime]) -> dict[str, Any]:
    levels: list[Counter[tuple[str, str]]] = [Counter() for _ in points]
    areas: list[Counter[tuple[str, str, str]]] = [Counter() for _ in points]
    staff = 0
    for record in records:
        staff += 1
        for i, at in enumerate(points):
            for direction, change in _standing_at(record.history, at).items():
                levels[i][(direction, change.level)] += 1
                for area in change.competence_areas:
                    areas[i][(direction, change.level, area)] += 1
    return {"staff_total": staff, "series": _series(framework, points, levels, areas)}


def summarise_deltas(
    staff_total: int, deltas: Iterable[StandingDelta], framework: Framework, points: Sequence[datetime]
) -> dict[str, Any]:
    """The same figures as `summarise`, from every person's standing changes: one pass over them in time order."""
    ordered = sorted(deltas, key=lambda d: d.at)
    levels: list[Counter[tuple[str, str]]] = [Counter() for _ in points]
    areas: list[Counter[tuple[str, str, str]]] = [Counter() for _ in points]
    level_now: Counter[tuple[str, str]] = Counter()
    area_now: Counter[tuple[str, str, str]] = Counter()
    applied = 0
    for i in sorted(range(len(points)), key=lambda i: points[i]):
        while applied < len(ordered) and ordered[applied].at <= points[i]:
            delta = ordered[applied]
            level_now[(delta.direction, delta.level)] += delta.staff
            for area in delta.competence_areas:
                area_now[(delta.direction, delta.level, area)] += delta.staff
            applied += 1
        levels[i] = level_now.copy()
        areas[i] = area_now.copy()
    return {"staff_total": staff_total, "series": _series(framework, points, levels, areas)}
