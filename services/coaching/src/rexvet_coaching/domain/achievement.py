"""The Open Badges 3.0 view of the framework: each badge as an `Achievement`, the ladder as a ResultDescription.

Ids are URLs under the framework version's public address (`catalogue_url`), so one badge of one version always
renders the same Achievement, and a badge earned under version 1 keeps pointing at version 1 after version 2.
OB 3.0 forbids nulls and empty arrays in output, so optional parts are left out rather than emptied.
"""

from __future__ import annotations

from typing import Any

from rexvet_coaching.domain.framework import Badge, Framework

RUBRIC_CRITERION_LEVEL = "RubricCriterionLevel"


def version_url(base_url: str, framework: Framework, tenant: str | None = None) -> str:
    """Public address of one framework version; an institution's extended framework lives under its tenant."""
    root = base_url.rstrip("/")
    if tenant:
        return f"{root}/v1/institutions/{tenant}/framework/versions/{framework.version}"
    return f"{root}/v1/framework/versions/{framework.version}"


def achievement_id(catalogue_url: str, badge: Badge) -> str:
    return f"{catalogue_url}/badges/{badge.id}"


def ladder_id(catalogue_url: str, direction_id: str) -> str:
    return f"{catalogue_url}/ladders/{direction_id}"


def level_id(catalogue_url: str, direction_id: str, level: str) -> str:
    """The `rubricCriterionLevel` id a credential's `result.achievedLevel` names."""
    return f"{ladder_id(catalogue_url, direction_id)}/levels/{level}"


def criteria_narrative(badge: Badge) -> str:
    module = badge.module
    lines = ["After this module you will be able to:"]
    lines += [f"- {outcome}" for outcome in module.learning_outcomes]
    if module.evidence:
        lines += ["", "The badge is earned with evidence that you:"]
        lines += [f"- {req.description}" for req in module.evidence]
    coach_steps = [s.title for s in module.steps if s.sign_off == "coach" and s.required]
    if coach_steps:
        lines += ["", "A coach signs off:"]
        lines += [f"- {title}" for title in coach_steps]
    return "\n".join(lines)


def ladder_result_description(framework: Framework, catalogue_url: str, badge: Badge) -> dict[str, Any]:
    """The direction's ladder, levels in ascending order, with this badge's level as the required one."""
    direction = framework.direction(badge.direction)
    direction_name = direction.name if direction else badge.direction
    return {
        "id": ladder_id(catalogue_url, badge.direction),
        "type": ["ResultDescription"],
        "name": f"{framework.title}: {direction_name} ladder",
        "resultType": RUBRIC_CRITERION_LEVEL,
        "requiredLevel": level_id(catalogue_url, badge.direction, badge.level),
        "rubricCriterionLevel": [
            {
                "id": level_id(catalogue_url, badge.direction, level.id),
                "type": ["RubricCriterionLevel"],
                "name": level.name,
                "level": level.name,
                "description": level.description,
            }
            for level in framework.ordered_levels()
        ],
    }


def render_achievement(
    framework: Framework, badge: Badge, catalogue_url: str, *, criteria_url: str | None = None
) -> dict[str, Any]:
    """The badge as an OB 3.0 Achievement (achievementType Badge).

    `criteria_url` is where the criteria are published when they are not the badge's own: an institution's module
    for a consortium badge keeps the consortium's Achievement id, and its criteria live under the institution.
    """
    the_id = achievement_id(catalogue_url, badge)
    alignment: list[dict[str, Any]] = []
    for area_id in badge.competence_areas:
        area = framework.competence_area(area_id)
        if area is None:  # the loader refuses such a framework; kept total for snapshots of old versions
            continue
        alignment.append(
            {
                "type": ["Alignment"],
                "targetName": area.name,
                "targetDescription": area.description,
                "targetUrl": area.url or f"{catalogue_url}/competence-areas/{area.id}",
                "targetCode": area.id,
                "targetFramework": framework.title,
            }
        )
    direction = framework.direction(badge.direction)
    level = framework.level(badge.level)
    achievement: dict[str, Any] = {
        "id": the_id,
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge.title,
        "description": badge.description,
        "criteria": {"id": f"{criteria_url or the_id}#criteria", "narrative": criteria_narrative(badge)},
        "image": {"id": badge.image or f"{the_id}/image.svg", "type": "Image", "caption": badge.title},
        "resultDescription": [ladder_result_description(framework, catalogue_url, badge)],
        "version": str(framework.version),
        "inLanguage": "en",
        "tag": [t for t in (direction.name if direction else None, level.name if level else None) if t],
    }
    if alignment:
        achievement["alignment"] = alignment
    if not achievement["tag"]:
        del achievement["tag"]
    return achievement
