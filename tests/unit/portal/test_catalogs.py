"""Every UI string is translated in every language: a missing, empty or fuzzy entry fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from rexvet_portal.api.i18n import LANGUAGES, catalog_path

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[3] / "services" / "portal" / "src" / "rexvet_portal"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def used_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PACKAGE), METHODS, options_map=OPTIONS, keywords={"_": None, "gettext": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def test_the_extraction_finds_the_pages_strings() -> None:
    messages = used_messages()
    assert "My ladder" in messages and "Skip to content" in messages and "Staff member" in messages
    assert ("You have %(num)s badge.", "You have %(num)s badges.") in messages


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    with catalog_path(language).open("rb") as source:
        catalog = read_po(source, locale=language)
    problems = []
    for message in sorted(used_messages(), key=str):
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        if entry is None:
            problems.append(f"missing: {message!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        translations = tuple(entry.string) if isinstance(entry.string, tuple | list) else (entry.string,)
        if not all(translations):
            problems.append(f"untranslated: {key!r}")
        english = set(PLACEHOLDER.findall(key))
        for translation in translations:
            if set(PLACEHOLDER.findall(translation or "")) != english:
                problems.append(f"placeholders differ: {key!r} -> {translation!r}")
    assert not problems, f"{catalog_path(language)}:\n" + "\n".join(problems)
