"""gettext catalogs: `locales/<lang>/LC_MESSAGES/messages.po`, written from one table, compiled in memory at start.

The `.po` files are the source; compiling them when the app starts means `make run` needs nothing beyond Python and
no compiled `.mo` file can drift from its `.po`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

from rexvet_common.web_i18n.languages import DEFAULT_LANGUAGE

# A fixed date in the headers: regenerating an unchanged table leaves the files unchanged.
CATALOG_DATE = datetime(2026, 12, 3, tzinfo=UTC)


def catalog_path(locales_dir: Path, language: str) -> Path:
    return locales_dir / language / "LC_MESSAGES" / "messages.po"


def load_translations(locales_dir: Path, language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()  # the source strings are English
    with catalog_path(locales_dir, language).open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def write_catalogs(
    locales_dir: Path,
    *,
    project: str,
    languages: Sequence[str],
    messages: Mapping[str, Sequence[str]],
    plurals: Mapping[tuple[str, str], Sequence[Sequence[str]]] | None = None,
) -> None:
    """One `.po` per language from a table: English message -> its translations in the order of `languages`."""
    for index, language in enumerate(languages):
        catalog = Catalog(locale=language, project=project, fuzzy=False, creation_date=CATALOG_DATE)
        for english, translations in messages.items():
            catalog.add(english, translations[index])
        for (singular, plural), forms in (plurals or {}).items():
            catalog.add((singular, plural), tuple(forms[index]))
        path = catalog_path(locales_dir, language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            write_po(target, catalog, width=120, omit_header=False, sort_output=True)
