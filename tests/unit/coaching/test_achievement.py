"""Every badge renders as a valid OB 3.0 Achievement (standards.md), in safe-mode JSON-LD too."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from rexvet_coaching.domain.achievement import render_achievement, version_url
from rexvet_coaching.domain.framework import Framework
from rexvet_credentials.errors import CanonicalizationError
from rexvet_credentials.jsonld_pyld import to_quads_pyld

from .conftest import BASE_URL

pytestmark = pytest.mark.unit

# The parts of 1EdTech's Achievement schema that standards.md names: required properties and their shapes.
TYPED = {"type": "array", "items": {"type": "string"}, "minItems": 1}
ACHIEVEMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "type", "name", "description", "criteria"],
    "properties": {
        "id": {"type": "string", "format": "uri", "pattern": "^https://"},
        "type": {**TYPED, "contains": {"const": "Achievement"}},
        "achievementType": {"const": "Badge"},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "criteria": {
            "type": "object",
            "anyOf": [{"required": ["narrative"]}, {"required": ["id"]}],
            "properties": {"narrative": {"type": "string", "minLength": 1}},
        },
        "image": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {"type": {"const": "Image"}, "id": {"type": "string", "pattern": "^https://"}},
        },
        "alignment": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["type", "targetName", "targetUrl"],
                "properties": {"type": {**TYPED, "contains": {"const": "Alignment"}}},
            },
        },
        "resultDescription": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "type", "name", "resultType"],
                "properties": {
                    "type": {**TYPED, "contains": {"const": "ResultDescription"}},
                    "resultType": {"const": "RubricCriterionLevel"},
                    "rubricCriterionLevel": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["id", "type", "name"],
                            "properties": {"type": {**TYPED, "contains": {"const": "RubricCriterionLevel"}}},
                        },
                    },
                },
            },
        },
    },
}


def _no_nulls_or_empty_arrays(value: Any, where: str = "$") -> list[str]:
    found = []
    if value is None or value == []:
        found.append(where)
    elif isinstance(value, dict):
        for key, item in value.items():
            found += _no_nulls_or_empty_arrays(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _no_nulls_or_empty_arrays(item, f"{where}[{i}]")
    return found


def _all_achievements(framework: Framework) -> list[dict[str, Any]]:
    catalogue = version_url(BASE_URL, framework)
    return [render_achievement(framework, badge, catalogue) for badge in framework.badges]


def test_every_badge_renders_a_valid_achievement(framework: Framework) -> None:
    achievements = _all_achievements(framework)
    assert len(achievements) == 6
    for achievement in achievements:
        jsonschema.validate(achievement, ACHIEVEMENT_SCHEMA, format_checker=jsonschema.FormatChecker())
        assert _no_nulls_or_empty_arrays(achievement) == []
    assert len({a["id"] for a in achievements}) == 6


def test_criteria_alignment_and_ladder_come_from_the_module(framework: Framework) -> None:
    badge = framework.badge("abroad-advanced")
    assert badge is not None
    achievement = render_achievement(framework, badge, version_url(BASE_URL, framework))
    narrative = achievement["criteria"]["narrative"]
    for outcome in badge.module.learning_outcomes:
        assert outcome in narrative
    assert [a["targetCode"] for a in achievement["alignment"]] == badge.competence_areas
    assert achievement["alignment"][0]["targetName"] == "Language and managerial skills"
    (ladder,) = achievement["resultDescription"]
    assert [lv["name"] for lv in ladder["rubricCriterionLevel"]] == ["Rookie", "Advanced", "Expert"]
    assert ladder["requiredLevel"] == ladder["rubricCriterionLevel"][1]["id"]
    assert achievement["image"]["type"] == "Image"
    assert achievement["id"] == f"{BASE_URL}/v1/framework/versions/1/badges/abroad-advanced"


def test_achievement_ids_are_per_version_and_tenant(framework: Framework) -> None:
    badge = framework.badges[0]
    v2 = framework.model_copy(update={"version": 2})
    assert (
        render_achievement(framework, badge, version_url(BASE_URL, framework))["id"]
        != render_achievement(v2, badge, version_url(BASE_URL, v2))["id"]
    )
    tenant = render_achievement(framework, badge, version_url(BASE_URL, framework, tenant="omnia"))
    assert "/institutions/omnia/" in tenant["id"]


def _credential(achievement: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:4f1a1d3c-0d8e-4c59-9a55-9c0b8a5c2f11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://omnia.example.org/issuer", "type": ["Profile"], "name": "Omnia"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:staff", "type": ["AchievementSubject"], "achievement": achievement},
    }


@pytest.mark.parametrize("index", range(6))
def test_achievement_terms_are_all_defined_in_the_ob_context(framework: Framework, index: int) -> None:
    """Safe mode: inside an OpenBadgeCredential, no property of the Achievement may be dropped by JSON-LD."""
    achievement = _all_achievements(framework)[index]
    quads = to_quads_pyld(_credential(achievement))
    levels = [q for q in quads if q[1] == "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#rubricCriterionLevel>"]
    assert len(levels) == 3


def test_safe_mode_check_would_catch_an_undefined_term(framework: Framework) -> None:
    achievement = {**_all_achievements(framework)[0], "ladderColour": "gold"}
    with pytest.raises(CanonicalizationError, match="ladderColour"):
        to_quads_pyld(_credential(achievement))
