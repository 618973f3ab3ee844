"""Jinja2 pages in the person's language: one environment per language, each with its gettext catalog installed.

One environment per language (rather than installing translations per request) keeps concurrent requests in
different languages from seeing each other's catalog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from rexvet_portal.api.i18n import LANGUAGE_COOKIE, LANGUAGES, LocaleFormat, choose_language, load_translations
from rexvet_portal.domain.session import Session

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' https: http:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _environment(language: str) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = load_translations(language)
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    environment.globals["fmt"] = LocaleFormat(language)
    _ = translations.gettext  # named `_` so that the catalogs' extraction finds these strings
    environment.globals["role_names"] = {
        "staff": _("Staff member"),
        "coach": _("Coach"),
        "manager": _("Manager"),
        "institution-admin": _("Institution admin"),
        "consortium-admin": _("Consortium admin"),
    }
    environment.globals["kind_names"] = {
        "presentation": _("presentation"),
        "video": _("video"),
        "exercise": _("exercise"),
    }
    return environment


class Pages:
    def __init__(self) -> None:
        self.environments = {language: _environment(language) for language in LANGUAGES}

    def language(self, request: Request) -> str:
        return choose_language(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))

    def render(
        self, request: Request, template: str, *, session: Session | None, status: int = 200, **values: Any
    ) -> HTMLResponse:
        language = self.language(request)
        page = self.environments[language].get_template(template)
        html = page.render(
            lang=language,
            languages=LANGUAGES,
            session=session,
            person=session.person if session else None,
            csrf_token=session.csrf_token if session else "",
            current_path=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **values,
        )
        headers = PAGE_HEADERS | {"Content-Language": language, "Vary": "Accept-Language, Cookie"}
        return HTMLResponse(html, status_code=status, headers=headers)
