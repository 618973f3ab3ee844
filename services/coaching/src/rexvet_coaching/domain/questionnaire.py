"""The self-assessment ("map of international skills"): answers point to levels; the result suggests where to start.

The level a person already works at is the average of the levels their answers point to (not yet Rookie = 0),
rounded down, so one strong answer does not skip a rung; the suggested pathway is the level above it. The result is a
suggestion only: it never awards a level.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from rexvet_coaching.domain.errors import InvalidInput, UnknownDirection
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import SelfAssessment, StaffRecord


def assess(
    record: StaffRecord, framework: Framework, direction_id: str, answers: dict[str, str], *, now: datetime
) -> dict[str, Any]:
    questionnaire = framework.questionnaire(direction_id)
    if questionnaire is None:
        known = ", ".join(q.direction for q in framework.questionnaires)
        raise UnknownDirection(f"there is no self-assessment for direction {direction_id!r}; known: {known}")
    problems: list[str] = []
    ranks: list[int] = []
    known_questions = {q.id for q in questionnaire.questions}
    problems += [f"unknown question {qid!r}" for qid in answers if qid not in known_questions]
    for question in questionnaire.questions:
        answer_id = answers.get(question.id)
        if answer_id is None:
            problems.append(f"question {question.id!r} is not answered")
            continue
        answer = next((a for a in question.answers if a.id == answer_id), None)
        if answer is None:
            allowed = ", ".join(a.id for a in question.answers)
            problems.append(f"answer {answer_id!r} to {question.id!r} is not one of: {allowed}")
            continue
        ranks.append(framework.rank(answer.level) if answer.level else 0)
    if problems:
        raise InvalidInput("; ".join(problems))
    levels = framework.ordered_levels()
    reached_rank = math.floor(sum(ranks) / len(ranks))
    reached = next((lv for lv in reversed(levels) if lv.rank <= reached_rank), None)
    suggested = next((lv for lv in levels if lv.rank > reached_rank), levels[-1])
    record.assessments = [
        *record.assessments,
        SelfAssessment(
            direction=direction_id,
            framework_version=framework.version,
            answers=dict(answers),
            reached_level=reached.id if reached else None,
            suggested_level=suggested.id,
            at=now,
        ),
    ]
    badge = framework.badge_at(direction_id, suggested.id)
    direction = framework.direction(direction_id)
    direction_name = direction.name if direction else direction_id
    if reached is None:
        text = f"You are starting out in {direction_name}: begin with the {suggested.name} pathway."
    elif reached.id == suggested.id:
        text = f"You already work at the highest level of {direction_name}."
    else:
        text = (
            f"You already work much like a {reached.name} in {direction_name}. To have it recognised, earn the badges"
            f" up to {reached.name}; then the {suggested.name} pathway is your next step."
        )
    return {
        "direction": direction_id,
        "framework_version": framework.version,
        "reached_level": reached.id if reached else None,
        "suggested_level": suggested.id,
        "suggested_badge_id": badge.id if badge else None,
        "text": text,
    }
