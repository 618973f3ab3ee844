"""The framework as data: the default loads, and a malformed document is refused naming file, JSON path and reason."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from rexvet_coaching.domain.errors import FrameworkLoadError
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.loading import load_framework_file, parse_extension, parse_framework

pytestmark = pytest.mark.unit


def test_default_framework_is_the_rex_vet_ladder(framework: Framework) -> None:
    assert [d.id for d in framework.directions] == ["home", "abroad"]
    assert [lv.name for lv in framework.ordered_levels()] == ["Rookie", "Advanced", "Expert"]
    assert len(framework.competence_areas) == 5
    rungs = {(b.direction, b.level) for b in framework.badges}
    assert rungs == {(d, lv) for d in ("home", "abroad") for lv in ("rookie", "advanced", "expert")}
    for badge in framework.badges:
        module = badge.module
        assert module.definition and module.for_you_if and module.what_you_learn and module.learning_outcomes
        assert module.steps
    advanced = framework.badge_at("abroad", "advanced")
    assert advanced is not None
    assert [(p.direction, p.level) for p in advanced.prerequisites] == [("abroad", "rookie")]
    assert {q.direction for q in framework.questionnaires} == {"home", "abroad"}


def _raw(framework_file: Path) -> dict[str, Any]:
    data = yaml.safe_load(framework_file.read_text())
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "broken-framework.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _load_error(path: Path) -> FrameworkLoadError:
    with pytest.raises(FrameworkLoadError) as caught:
        load_framework_file(path)
    return caught.value


@pytest.mark.parametrize(
    ("mutate", "path", "reason"),
    [
        (
            lambda d: d["badges"][1]["module"]["training_topics"][0]["resources"][1].update(kind="podcast"),
            "$.badges[1].module.training_topics[0].resources[1].kind",
            "'presentation', 'video' or 'exercise'",
        ),
        (lambda d: d["badges"][0].update(direction="sideways"), "$.badges[0].direction", "unknown direction"),
        (
            lambda d: d["badges"][2].update(competence_areas=["eu-knowledge", "cooking"]),
            "$.badges[2].competence_areas[1]",
            "unknown competence area 'cooking'",
        ),
        (lambda d: d["badges"][4].update(prerequisites=[]), "$.badges[4].prerequisites", "must require 'rookie'"),
        (
            lambda d: d["badges"][3]["module"]["evidence"][0]["hr_matches"][0].update(
                rule="type = mobility.completed and"
            ),
            "$.badges[3].module.evidence[0].hr_matches[0].rule",
            "invalid HR rule",
        ),
        (lambda d: d["badges"][5].update(id="home-rookie"), "$.badges[0].id", "used more than once"),
        # ids become keys of stored documents (an institution's modules by badge id): no '.', a path to the stores
        (lambda d: d["badges"][0].update(id="home.rookie"), "$.badges[0].id", "should match pattern"),
        (lambda d: d["levels"][2].update(rank=2), "$.levels[1].rank", "rank 2 is used by two levels"),
        (lambda d: d["badges"][0]["module"].pop("steps"), "$.badges[0].module.steps", "Field required"),
        (
            lambda d: d["questionnaires"][1]["questions"][0]["answers"][1].update(level="guru"),
            "$.questionnaires[1].questions[0].answers[1].level",
            "unknown level 'guru'",
        ),
        (lambda d: d.update(version="one"), "$.version", "valid integer"),
        (lambda d: d["badges"][0].update(colour="red"), "$.badges[0].colour", "Extra inputs are not permitted"),
    ],
)
def test_malformed_framework_names_file_path_and_reason(
    tmp_path: Path, framework_file: Path, mutate: Any, path: str, reason: str
) -> None:
    data = _raw(framework_file)
    mutate(data)
    broken = _write(tmp_path, data)
    error = _load_error(broken)
    assert error.source == str(broken)
    paths = [p for p, _ in error.problems]
    assert path in paths, error.problems
    assert reason in dict(error.problems)[path]
    assert str(broken) in str(error)


def test_yaml_syntax_error_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "fw.yaml"
    broken.write_text("id: rexvet\nbadges: [unclosed\n")
    error = _load_error(broken)
    assert error.source == str(broken)
    assert "not valid yaml" in str(error)


def test_a_list_is_not_a_framework(tmp_path: Path) -> None:
    broken = tmp_path / "fw.json"
    broken.write_text("[1, 2]")
    assert "must be a mapping" in str(_load_error(broken))


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    assert "cannot read" in str(_load_error(tmp_path / "absent.yaml"))


def test_extension_adds_an_institutions_badge(framework: Framework, framework_file: Path) -> None:
    own = copy.deepcopy(_raw(framework_file)["badges"][0])
    own.update(id="omnia-home-guest-week", title="Omnia international guest week")
    combined = parse_extension({"base_version": 1, "badges": [own]}, framework, source="omnia extension")
    assert combined.badge("omnia-home-guest-week") is not None
    assert len(combined.badges) == len(framework.badges) + 1
    assert framework.badge("omnia-home-guest-week") is None  # the base is untouched


def test_extension_cannot_reuse_a_base_badge_id_or_reference_unknown_areas(
    framework: Framework, framework_file: Path
) -> None:
    clash = copy.deepcopy(_raw(framework_file)["badges"][0])
    unknown_area = copy.deepcopy(clash)
    unknown_area.update(id="omnia-x", competence_areas=["knitting"])
    with pytest.raises(FrameworkLoadError) as caught:
        parse_extension({"base_version": 1, "badges": [clash, unknown_area]}, framework, source="ext")
    problems = dict(caught.value.problems)
    assert "already a badge" in problems["$.badges[0].id"]
    assert "unknown competence area 'knitting'" in problems["$.badges[1].competence_areas[0]"]


def test_extension_of_another_version_is_refused(framework: Framework, framework_file: Path) -> None:
    own = copy.deepcopy(_raw(framework_file)["badges"][0])
    own["id"] = "omnia-x"
    with pytest.raises(FrameworkLoadError) as caught:
        parse_extension({"base_version": 7, "badges": [own]}, framework, source="ext")
    assert caught.value.problems[0][0] == "$.base_version"


def test_parse_framework_round_trips(framework: Framework) -> None:
    again = parse_framework(framework.model_dump(mode="json"), source="memory")
    assert again == framework
