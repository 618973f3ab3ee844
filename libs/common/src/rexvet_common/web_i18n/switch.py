"""The language switch: a link (`/language/<code>?next=<path>`) that remembers the choice in a cookie.

A link, not a form: it works without JavaScript and only sets a preference, so there is nothing to protect by CSRF.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from rexvet_common.web_i18n.languages import LANGUAGE_COOKIE, LANGUAGES, choose_language

LANGUAGE_COOKIE_SECONDS = 365 * 86_400
# Sent with every translated page: a cache must not serve one person's language to another.
LANGUAGE_VARY = "Accept-Language, Cookie"


def local_path(value: str | None) -> str:
    """Only a path on this site: never an open redirect to another one."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def request_language(request: Request) -> str:
    return choose_language(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


def current_path(request: Request) -> str:
    """Where the switch leads back to: this page, with its query."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def switch_language(language: str, next_path: str | None, *, secure: bool) -> RedirectResponse:
    """Back to the page the person was on; an unknown language changes nothing."""
    response = RedirectResponse(local_path(next_path), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_SECONDS, samesite="lax", secure=secure, path="/"
        )
    return response
