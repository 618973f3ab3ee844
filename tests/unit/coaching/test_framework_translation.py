"""The framework's texts in other languages: the shipped Finnish overlay is complete, a missing text or language falls
back to English, a translation applies only to the English it was made from, and the API answers in the caller's
language while the badges' Achievements stay as they were."""

from __future__ import annotations

from typing import Any

import pytest

from rexvet_coaching.default_framework import DEFAULT_FRAMEWORK_FILE, load_translations, translation_files
from rexvet_coaching.domain.errors import FrameworkLoadError
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.translation import FrameworkTranslation, framework_texts, parse_translation

from .harness import Harness

pytestmark = pytest.mark.unit

FINNISH_TITLE = "Kansainvälistyminen ulkomailla – noviisi"
ENGLISH_TITLE = "Internationalisation Abroad - Rookie"


@pytest.fixture(scope="module")
def finnish(framework: Framework) -> FrameworkTranslation:
    [translation] = [t for t in load_translations(framework) if t.language == "fi"]
    return translation


def test_the_default_framework_ships_a_finnish_translation_beside_it() -> None:
    assert [path.name for path in translation_files(DEFAULT_FRAMEWORK_FILE)] == ["rexvet-framework-v1.fi.yaml"]


def test_every_text_of_the_default_framework_has_its_finnish_translation(
    framework: Framework, finnish: FrameworkTranslation
) -> None:
    texts = framework_texts(framework)
    # What a person reads, everywhere in the framework: titles, module texts, steps, evidence, the self-assessment.
    assert ("badges", "abroad-rookie", "module", "for_you_if", "1") in texts
    assert ("badges", "abroad-rookie", "module", "training_topics", "0", "resources", "2", "title") in texts
    assert ("badges", "abroad-rookie", "module", "evidence", "mobility", "hr_matches", "0", "narrative") in texts
    assert ("questionnaires", "abroad", "questions", "mobility", "answers", "never", "text") in texts
    assert finnish.missing(framework) == []
    left_in_english = [path for path, english in texts.items() if finnish.text(path, english) == english]
    assert left_in_english == []


def test_the_translated_framework_is_the_same_framework_in_other_words(
    framework: Framework, finnish: FrameworkTranslation
) -> None:
    shown = finnish.framework(framework)
    badge = shown.badge("abroad-rookie")
    assert badge is not None and badge.title == FINNISH_TITLE
    assert badge.module.steps[0].title == "Kirjoita oppimistavoitteesi"
    assert badge.module.for_you_if[0] == "et ole vielä ollut liikkuvuusjaksolla ulkomailla"
    questionnaire = shown.questionnaire("abroad")
    assert questionnaire is not None and questionnaire.questions[0].answers[0].text == "En vielä"
    # Structure, ids, rules, urls and levels do not change.
    english_structure = framework.model_dump(mode="json")
    assert _without_texts(shown.model_dump(mode="json")) == _without_texts(english_structure)


def _without_texts(document: Any) -> Any:
    words = {"name", "title", "description", "definition", "text", "narrative", "for_you_if", "what_you_learn"}
    words.add("learning_outcomes")
    if isinstance(document, dict):
        return {k: _without_texts(v) for k, v in document.items() if k not in words}
    if isinstance(document, list):
        return [_without_texts(v) for v in document]
    return document


def test_a_text_without_translation_is_the_english_one(framework: Framework) -> None:
    partial = parse_translation(
        {"language": "sv", "framework": "rexvet", "version": 1, "texts": {"badges": {"abroad-rookie": {"title": "X"}}}},
        framework,
        source="sv.yaml",
    )
    shown = partial.framework(framework)
    assert [b.title for b in shown.badges if b.id == "abroad-rookie"] == ["X"]
    assert [b.title for b in shown.badges if b.id != "abroad-rookie"] == [
        b.title for b in framework.badges if b.id != "abroad-rookie"
    ]
    assert len(partial.missing(framework)) == len(framework_texts(framework)) - 1


def test_a_translation_applies_only_to_the_english_it_was_made_from(
    framework: Framework, finnish: FrameworkTranslation
) -> None:
    badge = framework.badge("abroad-rookie")
    assert badge is not None
    steps = [badge.module.steps[0].model_copy(update={"title": "Our own first step"}), *badge.module.steps[1:]]
    changed = badge.model_copy(update={"module": badge.module.model_copy(update={"steps": steps})})
    shown = finnish.badge(changed)
    assert [s.title for s in shown.module.steps] == [
        "Our own first step",
        "Osallistu liikkuvuusjaksoon",
        "Purkukeskustelu valmentajasi kanssa",
    ]


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        ({"texts": {"badges": {"abroad-rokie": {"title": "X"}}}}, "$.texts.badges.abroad-rokie.title", "no such text"),
        ({"texts": {"badges": {"abroad-rookie": {"rule": "X"}}}}, "$.texts.badges.abroad-rookie.rule", "no such text"),
        ({"texts": {"title": ""}}, "$.texts.title", "must be a text"),
        ({"version": 2}, "$.version", "the version is 1"),
        ({"language": "en"}, "$.language", "a language code"),
    ],
)
def test_a_broken_translation_stops_the_load_with_its_path(
    framework: Framework, change: dict[str, Any], path: str, reason: str
) -> None:
    document = {"language": "fi", "framework": "rexvet", "version": 1, "texts": {}} | change
    with pytest.raises(FrameworkLoadError) as raised:
        parse_translation(document, framework, source="fi.yaml")
    assert [(p, r) for p, r in raised.value.problems if p == path and reason in r], raised.value.problems


def _badge(body: dict[str, Any], badge_id: str = "abroad-rookie") -> dict[str, Any]:
    found: dict[str, Any] = next(b for b in body["badges"] if b["id"] == badge_id)
    return found


async def test_the_api_answers_in_the_callers_language_and_in_english_without_a_translation(h: Harness) -> None:
    english = await h.client.get("/v1/institutions/omnia/framework")
    finnish = await h.client.get("/v1/institutions/omnia/framework", headers={"Accept-Language": "fi-FI,fi;q=0.9"})
    estonian = await h.client.get("/v1/framework", params={"lang": "et"}, headers={"Accept-Language": "fi"})
    assert _badge(english.json())["title"] == ENGLISH_TITLE and english.headers["content-language"] == "en"
    assert _badge(finnish.json())["title"] == FINNISH_TITLE and finnish.headers["content-language"] == "fi"
    # `lang` comes before the header; Estonian has no translation: the English text.
    assert _badge(estonian.json())["title"] == ENGLISH_TITLE and estonian.headers["content-language"] == "en"
    assert (await h.client.get("/v1/framework", params={"lang": "fi"})).json() == finnish.json()
    # A browser's second choice serves when its first has no translation.
    second = await h.client.get("/v1/framework", headers={"Accept-Language": "et, fi;q=0.8, en;q=0.5"})
    assert _badge(second.json())["title"] == FINNISH_TITLE
    # The badge's identity is the same in every language, and its Achievement (what the issuer signs) is English.
    assert _badge(finnish.json())["achievement_id"] == _badge(english.json())["achievement_id"]
    badges = await h.client.get("/v1/framework/badges", headers={"Accept-Language": "fi"})
    achievement = next(b for b in badges.json() if b["id"] == "abroad-rookie")["achievement"]
    assert achievement["name"] == ENGLISH_TITLE
    questionnaire = await h.client.get("/v1/framework/self-assessment/abroad", params={"lang": "fi"})
    assert questionnaire.json()["title"] == "Kansainvälisen osaamisen kartta – ulkomailla"


async def test_an_enrolment_and_the_coachs_queue_in_finnish(h: Harness) -> None:
    staff = h.token("s-1") | {"Accept-Language": "fi"}
    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-rookie", "coach_id": "c-1"}, headers=staff)
    assert r.status_code == 201, r.text
    assert r.json()["title"] == FINNISH_TITLE
    view = (await h.client.get(f"/v1/me/enrolments/{r.json()['id']}", headers=staff)).json()
    assert [s["title"] for s in view["steps"]] == [
        "Kirjoita oppimistavoitteesi",
        "Osallistu liikkuvuusjaksoon",
        "Purkukeskustelu valmentajasi kanssa",
    ]
    assert view["evidence_requirements"][0]["description"] == "Osallistui vähintään viiden päivän liikkuvuusjaksoon."
    coach = h.token("c-1", "coach")
    [pending] = (await h.client.get("/v1/coach/sign-offs", headers=coach | {"Accept-Language": "fi"})).json()
    assert (pending["badge_title"], pending["step_title"]) == (FINNISH_TITLE, "Purkukeskustelu valmentajasi kanssa")
    [english] = (await h.client.get("/v1/coach/sign-offs", headers=coach)).json()
    assert (english["badge_title"], english["step_title"]) == (ENGLISH_TITLE, "Debrief with your coach")
    # the portal's coach pages read the queue: the same words there, and on a coachee's page
    queue = (await h.client.get("/v1/coach/queue?coachee=s-1", headers=coach | {"Accept-Language": "fi"})).json()
    [queued] = queue["sign_offs"]
    assert (queued["badge_title"], queued["step_title"]) == (FINNISH_TITLE, "Purkukeskustelu valmentajasi kanssa")
    assert queue["coachee"]["enrolments"][0]["title"] == FINNISH_TITLE
    english_queue = (await h.client.get("/v1/coach/queue", headers=coach)).json()
    assert english_queue["sign_offs"][0]["step_title"] == "Debrief with your coach"
