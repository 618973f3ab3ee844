"""An institution manager's summary: how many staff stand at each level, per direction and competence area, over time.

A person stands at the highest level they hold in a direction at that moment; the ladder history (awards and
revocations, with the badge's competence areas) lets the summary be computed for any past date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import LadderChange, StaffRecord


def _standing_at(history: Iterable[LadderChange], at: datetime) -> dict[str, LadderChange]:
    """direction -> the change that gives the highest level held at `at`."""
    held: dict[tuple[str, str], LadderChange] = {}
    for change in sorted(history, key=lambda c: c.at):
        if change.at > at:
            break
        key = (change.direction, change.level)
        if change.change == "awarded":
            held[key] = change
        else:
            held.pop(key, None)
    best: dict[str, LadderChange] = {}
    for (direction, _), change in held.items():
        if direction not in best or change.rank > best[direction].rank:
            best[direction] = change
    return best


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
                ],
            }
        )
    return {"staff_total": staff, "series": series}
