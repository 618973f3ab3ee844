"""Load and check framework documents; every problem names the source, the JSON path and the reason."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rexvet_coaching.domain.errors import FrameworkLoadError
from rexvet_coaching.domain.framework import Badge, Framework, FrameworkExtension

Problems = list[tuple[str, str]]


def json_path(location: Sequence[int | str]) -> str:
    path = "$"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _validation_problems(exc: ValidationError) -> Problems:
    problems: Problems = []
    for error in exc.errors(include_url=False):
        # pydantic appends the constraint kind (e.g. "function-after[...]") to union locations: keep the data path
        location = [p for p in error["loc"] if not (isinstance(p, str) and "[" in p)]
        problems.append((json_path(location), error["msg"]))
    return problems


def read_document(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON file into a mapping; syntax errors name the line."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkLoadError(source, [("$", f"cannot read the file: {exc.strerror or exc}")]) from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise FrameworkLoadError(source, [("$", f"not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}")]) from exc
    if not isinstance(data, dict):
        raise FrameworkLoadError(source, [("$", f"the document must be a mapping, found {type(data).__name__}")])
    return data


def load_framework_file(path: Path) -> Framework:
    return parse_framework(read_document(path), source=str(path))


def parse_framework(data: Any, *, source: str) -> Framework:
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkLoadError(source, _validation_problems(exc)) from exc
    problems = check_framework(framework)
    if problems:
        raise FrameworkLoadError(source, problems)
    return framework


def parse_extension(data: Any, base: Framework, *, source: str) -> Framework:
    """Check an institution's extension against its base version and return the combined framework: the base's badges
    (those named in `modules` with the institution's module instead of the consortium's), then its own badges."""
    try:
        extension = FrameworkExtension.model_validate(data)
    except ValidationError as exc:
        raise FrameworkLoadError(source, _validation_problems(exc)) from exc
    if extension.base_version != base.version:
        raise FrameworkLoadError(
            source, [("$.base_version", f"extends {extension.base_version!r} but the base is {base.version!r}")]
        )
    base_ids = {b.id for b in base.badges}
    own_ids = {b.id for b in extension.badges}
    problems: Problems = [
        (f"$.badges[{i}].id", f"badge id {b.id!r} is already a badge of the base framework")
        for i, b in enumerate(extension.badges)
        if b.id in base_ids
    ]
    for badge_id in extension.modules:
        if badge_id in own_ids and badge_id not in base_ids:
            problems.append((f"$.modules.{badge_id}", f"{badge_id!r} is your own badge: give its module in `badges`"))
        elif badge_id not in base_ids:
            known = ", ".join(b.id for b in base.badges)
            problems.append(
                (f"$.modules.{badge_id}", f"no badge {badge_id!r} in framework version {base.version}; badges: {known}")
            )
    badges = [
        b.model_copy(update={"module": extension.modules[b.id]}) if b.id in extension.modules else b
        for b in base.badges
    ]
    combined = base.model_copy(update={"badges": [*badges, *extension.badges]})
    for path, reason in check_framework(combined):
        renumbered = _extension_path(path, base, extension)
        if renumbered is not None:
            problems.append((renumbered, reason))
    if problems:
        raise FrameworkLoadError(source, problems)
    return combined


def _extension_path(path: str, base: Framework, extension: FrameworkExtension) -> str | None:
    """A combined framework's badge path as a path in the extension document; None for what the base alone says."""
    if not path.startswith("$.badges["):
        return None
    end = path.index("]")
    index = int(path[len("$.badges[") : end])
    rest = path[end + 1 :]
    if index >= len(base.badges):
        return f"$.badges[{index - len(base.badges)}]{rest}"
    badge_id = base.badges[index].id
    if badge_id in extension.modules and rest.startswith(".module"):
        return f"$.modules.{badge_id}{rest.removeprefix('.module')}"
    return None


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {i for i, n in Counter(ids).items() if n > 1}


def check_framework(fw: Framework) -> Problems:
    """Cross-references that a schema cannot express: ids unique, references resolve, the ladder is ordered."""
    problems: Problems = []
    for name, ids in (
        ("directions", [d.id for d in fw.directions]),
        ("levels", [lv.id for lv in fw.levels]),
        ("competence_areas", [a.id for a in fw.competence_areas]),
        ("badges", [b.id for b in fw.badges]),
    ):
        for dup in sorted(_duplicates(ids)):
            problems.append((f"$.{name}[{ids.index(dup)}].id", f"id {dup!r} is used more than once"))
    ranks = [lv.rank for lv in fw.levels]
    for dup in sorted(_duplicates(str(r) for r in ranks)):
        problems.append((f"$.levels[{ranks.index(int(dup))}].rank", f"rank {dup} is used by two levels"))
    for i, badge in enumerate(fw.badges):
        problems += _check_badge(fw, badge, f"$.badges[{i}]")
    for i, questionnaire in enumerate(fw.questionnaires):
        base = f"$.questionnaires[{i}]"
        if fw.direction(questionnaire.direction) is None:
            problems.append((f"{base}.direction", f"unknown direction {questionnaire.direction!r}"))
        for j, question in enumerate(questionnaire.questions):
            for k, answer in enumerate(question.answers):
                if answer.level is not None and fw.level(answer.level) is None:
                    problems.append((f"{base}.questions[{j}].answers[{k}].level", f"unknown level {answer.level!r}"))
    return problems


def _check_badge(fw: Framework, badge: Badge, base: str) -> Problems:
    problems: Problems = []
    if fw.direction(badge.direction) is None:
        problems.append((f"{base}.direction", f"unknown direction {badge.direction!r}"))
    if fw.level(badge.level) is None:
        problems.append((f"{base}.level", f"unknown level {badge.level!r}"))
    for j, area in enumerate(badge.competence_areas):
        if fw.competence_area(area) is None:
            problems.append((f"{base}.competence_areas[{j}]", f"unknown competence area {area!r}"))
    for j, pre in enumerate(badge.prerequisites):
        if fw.direction(pre.direction) is None:
            problems.append((f"{base}.prerequisites[{j}].direction", f"unknown direction {pre.direction!r}"))
        if fw.level(pre.level) is None:
            problems.append((f"{base}.prerequisites[{j}].level", f"unknown level {pre.level!r}"))
        elif fw.level(badge.level) is not None and fw.rank(pre.level) >= fw.rank(badge.level):
            problems.append((f"{base}.prerequisites[{j}].level", "a prerequisite must be a lower level"))
    lower = [lv for lv in fw.ordered_levels() if lv.rank < fw.rank(badge.level)]
    if lower and fw.direction(badge.direction) is not None:
        previous = lower[-1]
        if not any(p.direction == badge.direction and p.level == previous.id for p in badge.prerequisites):
            problems.append(
                (f"{base}.prerequisites", f"level {badge.level!r} of {badge.direction!r} must require {previous.id!r}")
            )
    step_ids = [s.id for s in badge.module.steps]
    for dup in sorted(_duplicates(step_ids)):
        problems.append((f"{base}.module.steps[{step_ids.index(dup)}].id", f"step id {dup!r} is used twice"))
    req_ids = [r.id for r in badge.module.evidence]
    for dup in sorted(_duplicates(req_ids)):
        problems.append((f"{base}.module.evidence[{req_ids.index(dup)}].id", f"requirement id {dup!r} is used twice"))
    for j, req in enumerate(badge.module.evidence):
        if not req.accepts_evidence and not req.hr_matches:
            problems.append((f"{base}.module.evidence[{j}]", "a requirement must accept evidence or an HR event"))
    return problems
