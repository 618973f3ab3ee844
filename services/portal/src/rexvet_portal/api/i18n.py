"""The portal's languages: its catalogs under `locales/`; the machinery is shared with the verifier's public pages
(rexvet_common.web_i18n)."""

from __future__ import annotations

from pathlib import Path

from rexvet_common.web_i18n.catalogs import catalog_path as _catalog_path
from rexvet_common.web_i18n.languages import DEFAULT_LANGUAGE, LANGUAGE_COOKIE, LANGUAGES, LocaleFormat, choose_language

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LOCALES_DIR",
    "LocaleFormat",
    "catalog_path",
    "choose_language",
]


def catalog_path(language: str) -> Path:
    return _catalog_path(LOCALES_DIR, language)
