"""One Jinja2 environment per language, each with its gettext catalog installed.

One environment per language (rather than installing translations per request) keeps concurrent requests in
different languages from seeing each other's catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined

from rexvet_common.web_i18n.catalogs import load_translations
from rexvet_common.web_i18n.languages import LANGUAGES, LocaleFormat

# What a package adds to every page of one language: its gettext function and the language's code are given.
LanguageGlobals = Callable[[Callable[[str], str], str], dict[str, Any]]


def translated_environment(
    loader: BaseLoader,
    locales_dir: Path,
    language: str,
    *,
    autoescape: bool | Callable[[str | None], bool],
    extra_globals: LanguageGlobals | None = None,
) -> Environment:
    environment = Environment(
        loader=loader,
        autoescape=autoescape,
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = load_translations(locales_dir, language)
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    environment.globals["fmt"] = LocaleFormat(language)
    environment.globals["lang"] = language
    environment.globals["languages"] = LANGUAGES
    if extra_globals is not None:
        environment.globals.update(extra_globals(translations.gettext, language))
    return environment


def translated_environments(
    loader: BaseLoader,
    locales_dir: Path,
    *,
    autoescape: bool | Callable[[str | None], bool],
    extra_globals: LanguageGlobals | None = None,
) -> dict[str, Environment]:
    return {
        language: translated_environment(
            loader, locales_dir, language, autoescape=autoescape, extra_globals=extra_globals
        )
        for language in LANGUAGES
    }
