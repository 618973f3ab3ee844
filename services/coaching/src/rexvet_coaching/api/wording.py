"""The framework's words in the caller's language: `?lang=fi`, else Accept-Language; English when there is no
translation (rexvet_coaching.domain.translation). Only what people read changes; ids and Achievements do not."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response

from rexvet_coaching.api.deps import Catalogue
from rexvet_coaching.application.read_models import EnrolmentOut, PendingSignOffOut
from rexvet_coaching.domain.framework import Framework, Questionnaire
from rexvet_coaching.domain.translation import FrameworkTranslation, TextPath
from rexvet_common.web_i18n.languages import parse_accept_language

LanguageParameter = Annotated[
    str | None,
    Query(
        description="The language of the framework's texts (e.g. `fi`); else the Accept-Language header. A text "
        "without a translation is in English.",
        pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$",
    ),
]


class Wording:
    def __init__(self, translations: list[FrameworkTranslation]) -> None:
        self.translations = translations

    @property
    def language(self) -> str:
        return self.translations[0].language if self.translations else "en"

    def text(self, path: TextPath, english: str, version: int | None = None) -> str:
        """A translation applies only to the English it was made from, so looking in every version is safe."""
        for translation in self.translations:
            if version is None or translation.version == version:
                translated = translation.text(path, english)
                if translated != english:
                    return translated
        return english

    def framework(self, framework: Framework) -> Framework:
        for translation in self.translations:
            framework = translation.framework(framework)
        return framework

    def questionnaire(self, questionnaire: Questionnaire, version: int) -> Questionnaire:
        for translation in self.translations:
            if translation.version == version:
                return translation.questionnaire(questionnaire)
        return questionnaire

    def enrolment(self, view: EnrolmentOut) -> EnrolmentOut:
        """An enrolment's view (rexvet_coaching.application.views): its badge's title, steps and requirements."""
        badge = ("badges", view.badge_id)
        version = view.framework_version

        def module_text(*path: str, english: str) -> str:
            return self.text((*badge, "module", *path), english, version)

        steps = [
            step.model_copy(
                update={
                    "title": module_text("steps", step.id, "title", english=step.title),
                    "description": module_text("steps", step.id, "description", english=step.description),
                }
            )
            for step in view.steps
        ]
        requirements = [
            req.model_copy(
                update={"description": module_text("evidence", req.id, "description", english=req.description)}
            )
            for req in view.evidence_requirements
        ]
        title = self.text((*badge, "title"), view.title, version)
        return view.model_copy(update={"title": title, "steps": steps, "evidence_requirements": requirements})

    def enrolments(self, views: list[EnrolmentOut]) -> list[EnrolmentOut]:
        return [self.enrolment(view) for view in views]

    def sign_offs(self, items: list[PendingSignOffOut]) -> list[PendingSignOffOut]:
        translated = []
        for item in items:
            badge = ("badges", item.badge_id)
            translated.append(
                item.model_copy(
                    update={
                        "badge_title": self.text((*badge, "title"), item.badge_title),
                        "step_title": self.text((*badge, "module", "steps", item.step_id, "title"), item.step_title),
                    }
                )
            )
        return translated


def caller_languages(request: Request, lang: LanguageParameter = None) -> list[str]:
    """By preference: the `lang` parameter alone when given (an explicit choice: its translation or English), else
    Accept-Language's tags, each as its plain language ("fi-FI" -> "fi")."""
    tags = [lang] if lang else parse_accept_language(request.headers.get("accept-language"))
    languages: list[str] = []
    for tag in tags:
        plain = tag.replace("_", "-").split("-")[0].lower()
        if plain not in languages:
            languages.append(plain)
    return languages


def wording(
    catalogue: Catalogue, response: Response, languages: Annotated[list[str], Depends(caller_languages)]
) -> Wording:
    words = Wording(catalogue.translations(languages))
    response.headers["Content-Language"] = words.language
    response.headers["Vary"] = "Accept-Language"
    return words


Words = Annotated[Wording, Depends(wording)]
