"""Jinja2 pages in the person's language (one environment per language: rexvet_common.web_i18n.pages)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import FileSystemLoader, select_autoescape

from rexvet_common.web_i18n.pages import translated_environments
from rexvet_common.web_i18n.shared_templates import with_shared_templates
from rexvet_common.web_i18n.switch import LANGUAGE_VARY, current_path, request_language
from rexvet_portal.api.i18n import LOCALES_DIR
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


def _names(_: Callable[[str], str], language: str) -> dict[str, Any]:
    """The portal's own words for roles and resource kinds; named `_` so that the catalogs' extraction finds them."""
    return {
        "role_names": {
            "staff": _("Staff member"),
            "coach": _("Coach"),
            "manager": _("Manager"),
            "institution-admin": _("Institution admin"),
            "consortium-admin": _("Consortium admin"),
        },
        "kind_names": {
            "presentation": _("presentation"),
            "video": _("video"),
            "exercise": _("exercise"),
        },
    }


class Pages:
    def __init__(self) -> None:
        self.environments = translated_environments(
            with_shared_templates(FileSystemLoader(TEMPLATES_DIR)),
            LOCALES_DIR,
            autoescape=select_autoescape(["html"]),
            extra_globals=_names,
        )

    def language(self, request: Request) -> str:
        return request_language(request)

    def render(
        self, request: Request, template: str, *, session: Session | None, status: int = 200, **values: Any
    ) -> HTMLResponse:
        language = self.language(request)
        page = self.environments[language].get_template(template)
        html = page.render(
            session=session,
            person=session.person if session else None,
            csrf_token=session.csrf_token if session else "",
            current_path=current_path(request),
            **values,
        )
        headers = PAGE_HEADERS | {"Content-Language": language, "Vary": LANGUAGE_VARY}
        return HTMLResponse(html, status_code=status, headers=headers)
