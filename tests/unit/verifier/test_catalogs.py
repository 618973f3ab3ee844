"""Every word of the verifier's public pages is translated in every language: a missing, empty or fuzzy entry fails
here, and so does a check in the registry (rexvet_credentials.checks) whose title has no translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from rexvet_common.web_i18n.catalogs import catalog_path
from rexvet_common.web_i18n.languages import LANGUAGES
from rexvet_credentials.checks import VERIFICATION_CHECKS
from rexvet_verifier.pages import LOCALES_DIR

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[3] / "services" / "verifier" / "src" / "rexvet_verifier"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
# `N_` marks an outcome word in pages.py that a page translates when it is rendered
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def used_messages() -> set[str]:
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(str(PACKAGE), METHODS, options_map=OPTIONS, keywords=KEYWORDS)
    }
    assert all(isinstance(message, str) for message in found), "the verifier's pages have no plural message yet"
    return {str(message) for message in found} | set(VERIFICATION_CHECKS.titles().values())


def test_the_extraction_finds_the_pages_strings() -> None:
    messages = used_messages()
    assert {"Verify an Open Badge", "Language", "Verification result"} <= messages  # templates
    assert {"Could not be fully verified", "not checked"} <= messages  # the outcome words in pages.py
    assert "Paste a credential or choose a badge image, then press Verify." in messages  # a form error's reason
    assert "Signing key belongs to the issuer" in messages  # a title from the check registry


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    path = catalog_path(LOCALES_DIR, language)
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    problems = []
    for message in sorted(used_messages()):
        entry = catalog.get(message)
        if entry is None:
            problems.append(f"missing: {message!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {message!r}")
        if not entry.string:
            problems.append(f"untranslated: {message!r}")
        if set(PLACEHOLDER.findall(str(entry.string))) != set(PLACEHOLDER.findall(message)):
            problems.append(f"placeholders differ: {message!r} -> {entry.string!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)
