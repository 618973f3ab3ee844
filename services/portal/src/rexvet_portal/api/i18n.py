"""The portal's languages: its catalogs under `locales/`; the machinery is shared with the verifier's public pages
(rexvet_common.web_i18n)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response

from rexvet_common.web_i18n.catalogs import catalog_path as _catalog_path
from rexvet_common.web_i18n.languages import DEFAULT_LANGUAGE, LANGUAGE_COOKIE, LANGUAGES, LocaleFormat, choose_language
from rexvet_common.web_i18n.switch import request_language
from rexvet_portal.application.caller_language import CALLER_LANGUAGE

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LOCALES_DIR",
    "LocaleFormat",
    "catalog_path",
    "choose_language",
    "install_caller_language",
]


def catalog_path(language: str) -> Path:
    return _catalog_path(LOCALES_DIR, language)


def install_caller_language(app: FastAPI) -> None:
    """Every request: the page's language (cookie, else Accept-Language) for the calls it makes to the services."""

    @app.middleware("http")
    async def remember_the_language(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        token = CALLER_LANGUAGE.set(request_language(request))
        try:
            return await call_next(request)
        finally:
            CALLER_LANGUAGE.reset(token)
