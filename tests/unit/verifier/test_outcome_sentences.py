"""Every check outcome is worded in the page's language: each (check id, code) that the check registry and the
checks can produce has a sentence (rexvet_verifier.outcome_sentences), translated in every language; the page
shows it with the check's values filled in, and the engine's English message only for a code with no sentence."""

from __future__ import annotations

import ast
import importlib
import pickle
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

import rexvet_credentials
from rexvet_common.web_i18n.catalogs import catalog_path
from rexvet_common.web_i18n.languages import LANGUAGES
from rexvet_credentials.checks import VERIFICATION_CHECKS
from rexvet_credentials.report import Check, CheckOutcome, Severity, VerificationReport
from rexvet_verifier.outcome_sentences import ANY_CHECK, SENTENCES, sentences_of
from rexvet_verifier.pages import LOCALES_DIR, PageRenderer

from .page_reader import ResultPage

pytestmark = pytest.mark.unit

ENGINE = Path(rexvet_credentials.__file__).resolve().parent
# the calls that make an outcome, and where their check id and code are (None: always the status check)
MAKERS = {
    "passed": (0, 1),
    "failed": (0, 1),
    "not_checked": (0, 1),
    "Check": (0, 2),
    "_warning": (0, 2),
    "StatusResult": (None, 1),
    "could_not_check": (None, 0),
}


def _module(path: Path) -> ModuleType:
    parts = path.relative_to(ENGINE).with_suffix("").parts
    name = ".".join(("rexvet_credentials", *parts)).removesuffix(".__init__")
    return importlib.import_module(name)


def _texts(node: ast.expr, module: ModuleType) -> list[str]:
    """The strings an argument can be: a literal, a module constant, either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and isinstance(getattr(module, node.id, None), str):
        return [getattr(module, node.id)]
    if isinstance(node, ast.IfExp):
        return _texts(node.body, module) + _texts(node.orelse, module)
    return []  # a code passed on from an exception or another check: the page falls back to its message


def produced_outcomes() -> Iterator[tuple[str, str]]:
    """(check id, code) of every outcome the engine's source writes out; `*` when the check id is not fixed."""
    for path in sorted(ENGINE.rglob("*.py")):
        module = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in MAKERS:
                continue
            id_at, code_at = MAKERS[name]
            if len(node.args) <= code_at:
                continue
            ids = ["status"] if id_at is None else _texts(node.args[id_at], module) or [ANY_CHECK]
            for code in _texts(node.args[code_at], module):
                for check_id in ids:
                    yield check_id, code
    # every check after parse is skipped when the input cannot be parsed (the registry's own outcome)
    for check in VERIFICATION_CHECKS:
        yield check.id, "skipped"


def test_the_scan_finds_the_engines_outcomes() -> None:
    found = set(produced_outcomes())
    assert len(found) > 60
    assert {
        ("status", "status_suspended"),
        ("status", "status_deadline_exceeded"),  # a branch of a conditional
        ("key_binding", "issuer_not_resolvable"),
        ("context_version", "legacy_context"),
        ("status_entries", "status_list_index_number"),
        ("validity_period", "within_validity_period"),
        ("proof", "skipped"),
    } <= found


def test_every_outcome_has_a_sentence() -> None:
    missing = sorted(
        f"{check_id}/{code}" for check_id, code in set(produced_outcomes()) if not sentences_of(check_id, code)
    )
    assert not missing, "outcomes without a sentence in rexvet_verifier.outcome_sentences: " + ", ".join(missing)


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_every_sentence_is_translated(language: str) -> None:
    with catalog_path(LOCALES_DIR, language).open("rb") as source:
        catalog = read_po(source, locale=language)
    problems = []
    for check_id, code in sorted(set(produced_outcomes()) | set(SENTENCES)):
        for sentence in sentences_of(check_id, code):
            entry = catalog.get(sentence)
            if entry is None or entry.fuzzy or not entry.string or entry.string == sentence:
                problems.append(f"{check_id}/{code}: {sentence!r}")
    assert not problems, f"{language}: untranslated outcome sentences:\n" + "\n".join(problems)


# values for every placeholder of the table, as the checks give them
VALUES = {
    "start": "2026-01-15T00:00:00Z",
    "end": "2027-06-30T00:00:00Z",
    "issuer": "did:web:school.example",
    "controller": "did:web:other.example",
    "name": "Omnia",
    "entries": "2",
    "limit": "1",
    "count": "2",
    "list": "https://school.example/status/1",
    "declared": "https://school.example/status/2",
    "number": "7",
    "field": "validFrom",
    "context": "https://www.w3.org/2018/credentials/v1",
    "terms": "favouriteColour",
}


def _report(checks: list[Check]) -> VerificationReport:
    return VerificationReport.from_checks(tuple(checks), issuer_id="did:web:school.example")


def _render(report: VerificationReport, language: str) -> str:
    return PageRenderer().result(report, [], language=language, here="/")


def _every_outcome() -> list[Check]:
    checks = []
    for (check_id, code), _ in SENTENCES.items():
        first = sentences_of(check_id, code)[0]
        params = {name: VALUES[name] for name in VALUES if f"%({name})s" in first}
        checks.append(Check(check_id, CheckOutcome.FAILED, code, f"english {check_id} {code}", params=params))
    return checks


@pytest.mark.parametrize("language", ["fi", "et"])
def test_a_page_words_every_known_outcome_in_its_language(language: str) -> None:
    checks = _every_outcome()
    html = _render(_report(checks), language)
    assert "english " not in html  # no engine message is left for a known code
    assert '<span lang="en">' not in html
    # each row shows its sentence (one row per check id: the last outcome of that id in the report)
    rows = ResultPage(html).rows
    assert set(rows) == {check.id for check in checks}


def test_the_values_are_filled_in_and_dates_written_for_the_locale() -> None:
    checks = [
        Check(
            "validity_period",
            CheckOutcome.PASSED,
            "within_validity_period",
            "valid from 2026-01-15T00:00:00Z until 2027-06-30T00:00:00Z",
            params={"start": "2026-01-15T00:00:00Z", "end": "2027-06-30T00:00:00Z"},
        ),
        Check(
            "status_entries",
            CheckOutcome.FAILED,
            "status_list_index_number",
            "statusListIndex is the JSON number 7",
            Severity.WARNING,
            params={"number": "7"},
        ),
        Check(
            "status", CheckOutcome.FAILED, "status_too_many_entries", "too many", details={"entries": 12, "limit": 8}
        ),
        Check("key_binding", CheckOutcome.PASSED, "key_bound_to_issuer", "the key is the issuer's"),
    ]
    rows = ResultPage(_render(_report(checks), "fi")).rows
    assert "Voimassa 15. tammikuuta 2026 – 30. kesäkuuta 2027." in rows["validity_period"].words
    assert "statusListIndex on luku 7," in rows["status_entries"].words
    assert "Osaamismerkissä on 12 tilamerkintää; enintään 8 tarkistetaan." in rows["status"].words
    # the report's issuer, when the check itself names none
    assert "Allekirjoitusavain kuuluu myöntäjälle (did:web:school.example)." in rows["key_binding"].words
    italian = ResultPage(_render(_report(checks[:1]), "it")).rows
    assert "Valida dal 15 gennaio 2026 al 30 giugno 2027." in italian["validity_period"].words


def test_a_sentence_whose_values_are_missing_takes_the_next_one() -> None:
    only_start = Check(
        "validity_period", CheckOutcome.PASSED, "within_validity_period", "valid from", params={"start": "2026-01-15"}
    )
    none = Check("validity_period", CheckOutcome.PASSED, "within_validity_period", "valid (it names no validFrom)")
    assert (
        "Voimassa 15. tammikuuta 2026 alkaen."
        in ResultPage(_render(_report([only_start]), "fi")).rows["validity_period"].words
    )
    assert (
        "Voimassa: osaamismerkissä ei ole alkamispäivää."
        in ResultPage(_render(_report([none]), "fi")).rows["validity_period"].words
    )


def test_a_code_without_a_sentence_falls_back_to_the_english_message_marked_english() -> None:
    check = Check("proof", CheckOutcome.FAILED, "brand_new_code", "the engine's own words")
    html = _render(_report([check]), "fi")
    assert '<span lang="en">the engine\'s own words</span>' in html.replace("&#39;", "'")
    # a sentence that needs a value the check does not give also falls back
    bare = Check("contexts", CheckOutcome.FAILED, "undefined_terms", "terms: x")
    assert '<span lang="en">terms: x</span>' in _render(_report([bare]), "fi")


def test_the_json_report_does_not_carry_the_values() -> None:
    check = Check("status_entries", CheckOutcome.FAILED, "status_list_index_number", "m", params={"number": "7"})
    assert "params" not in check.to_dict()
    assert check == Check("status_entries", CheckOutcome.FAILED, "status_list_index_number", "m")
    # checks cross the verifier's process pool: the values go with them
    assert pickle.loads(pickle.dumps(check)).params == {"number": "7"}
