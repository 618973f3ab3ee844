"""A framework version's texts in another language: one overlay document per language, keyed by ids, checked on load.

A text is addressed by its path of ids, e.g. badges / abroad-rookie / module / steps / learning-goals / title (lists
of things with an `id` by that id, questionnaires by their direction, other lists by position). The overlay document
has the same shape as the framework with those lists written as mappings by id:

    language: fi
    framework: rexvet
    version: 1
    texts:
      badges:
        abroad-rookie:
          title: Kansainvälistyminen ulkomailla – noviisi
          module:
            steps:
              learning-goals: {title: Kirjoita oppimistavoitteesi, description: ...}

What is not translated is the English text. A translation applies only while the English at its path is the text it
was made from: an institution's own module for a consortium badge, or an enrolment's snapshot of a badge that has
changed since, keeps its own words instead of showing the translation of other ones. Only texts people read are
translated; ids, HR rules, urls and the badge's OB Achievement (rendered from the English framework) stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rexvet_coaching.domain.errors import FrameworkLoadError
from rexvet_coaching.domain.framework import Badge, Framework, Questionnaire

TextPath = tuple[str, ...]
# The fields that hold words for people (a string, or a list of strings); everything else is structure.
TRANSLATED_FIELDS = frozenset(
    {"name", "title", "description", "definition", "text", "narrative", "for_you_if", "what_you_learn"}
    | {"learning_outcomes"}
)
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _item_key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("id", "direction"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return str(index)


def _walk(document: Any, path: TextPath, visit: Callable[[TextPath, str], str]) -> Any:
    """A copy of a framework's JSON form with each translatable text replaced by `visit(path, text)`."""
    if isinstance(document, list):
        return [_walk(item, (*path, _item_key(item, i)), visit) for i, item in enumerate(document)]
    if not isinstance(document, dict):
        return document
    copy: dict[str, Any] = {}
    for key, value in document.items():
        if key in TRANSLATED_FIELDS and isinstance(value, str):
            copy[key] = visit((*path, key), value)
        elif key in TRANSLATED_FIELDS and isinstance(value, list) and all(isinstance(v, str) for v in value):
            copy[key] = [visit((*path, key, str(i)), v) for i, v in enumerate(value)]
        else:
            copy[key] = _walk(value, (*path, key), visit)
    return copy


def framework_texts(framework: Framework) -> dict[TextPath, str]:
    """Every text of the framework a person reads, by its path."""
    found: dict[TextPath, str] = {}

    def record(path: TextPath, text: str) -> str:
        found[path] = text
        return text

    _walk(framework.model_dump(mode="json"), (), record)
    return found


def _overlay_texts(document: Any, path: TextPath, found: dict[TextPath, Any]) -> None:
    if isinstance(document, dict):
        for key, value in document.items():
            _overlay_texts(value, (*path, str(key)), found)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            _overlay_texts(value, (*path, str(index)), found)
    else:
        found[path] = document


def _json_path(path: TextPath) -> str:
    return "$.texts" + "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in path)


@dataclass(frozen=True)
class FrameworkTranslation:
    """One language's texts of one framework version: path -> (the English it translates, the translation)."""

    language: str
    framework_id: str
    version: int
    texts: Mapping[TextPath, tuple[str, str]]

    def text(self, path: TextPath, english: str) -> str:
        entry = self.texts.get(path)
        return entry[1] if entry is not None and entry[0] == english else english

    def missing(self, framework: Framework) -> list[TextPath]:
        """The framework's texts with no translation here (what a completeness test lists)."""
        return [path for path in framework_texts(framework) if path not in self.texts]

    def framework(self, framework: Framework) -> Framework:
        if (framework.id, framework.version) != (self.framework_id, self.version):
            return framework
        return Framework.model_validate(_walk(framework.model_dump(mode="json"), (), self.text))

    def badge(self, badge: Badge) -> Badge:
        """A badge as an enrolment keeps it; translated where its words are still this version's."""
        return Badge.model_validate(_walk(badge.model_dump(mode="json"), ("badges", badge.id), self.text))

    def questionnaire(self, questionnaire: Questionnaire) -> Questionnaire:
        path = ("questionnaires", questionnaire.direction)
        return Questionnaire.model_validate(_walk(questionnaire.model_dump(mode="json"), path, self.text))


def parse_translation(data: Any, framework: Framework, *, source: str) -> FrameworkTranslation:
    """Check an overlay document against the framework it translates; every problem names its path."""
    if not isinstance(data, dict):
        raise FrameworkLoadError(source, [("$", "the document must be a mapping")])
    problems: list[tuple[str, str]] = []
    unknown = sorted(set(data) - {"language", "framework", "version", "texts"})
    problems += [(f"$.{key}", "unknown field: expected language, framework, version and texts") for key in unknown]
    language = data.get("language")
    if not isinstance(language, str) or not LANGUAGE.match(language) or language == "en":
        problems.append(("$.language", "a language code such as 'fi' (English is the framework's own text)"))
    if data.get("framework") != framework.id:
        problems.append(("$.framework", f"translates {data.get('framework')!r} but the framework is {framework.id!r}"))
    if data.get("version") != framework.version:
        problems.append(("$.version", f"translates {data.get('version')!r} but the version is {framework.version}"))
    found: dict[TextPath, Any] = {}
    _overlay_texts(data.get("texts", {}), (), found)
    english = framework_texts(framework)
    texts: dict[TextPath, tuple[str, str]] = {}
    for path, value in found.items():
        if path not in english:
            problems.append((_json_path(path), "no such text in the framework (a misspelt id or field?)"))
        elif not isinstance(value, str) or not value.strip():
            problems.append((_json_path(path), "a translation must be a text"))
        else:
            texts[path] = (english[path], value.strip())
    if problems:
        raise FrameworkLoadError(source, problems)
    assert isinstance(language, str)
    return FrameworkTranslation(language, framework.id, framework.version, texts)
