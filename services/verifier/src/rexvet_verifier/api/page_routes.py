"""The public pages: a form to paste or upload a credential, a result page that shows every check, and the language
switch (a link on every page, remembered in a cookie; the language otherwise comes from Accept-Language)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rexvet_common.problems import Problem
from rexvet_common.web_i18n import switch
from rexvet_verifier.api.requests import Context, presented_bytes, presented_from_url
from rexvet_verifier.application.verification import warnings_of
from rexvet_verifier.bootstrap import VerifierContext
from rexvet_verifier.domain.presented_input import UnreadableInput
from rexvet_verifier.domain.summary import summarize
from rexvet_verifier.pages import PAGE_HEADERS, FormError, stylesheet

router = APIRouter(include_in_schema=False)


def _page(html: str, language: str, status: int = 200) -> HTMLResponse:
    headers = PAGE_HEADERS | {"Content-Language": language, "Vary": switch.LANGUAGE_VARY}
    return HTMLResponse(html, status_code=status, headers=headers)


def _problem_error(exc: Problem) -> FormError:
    code = exc.extensions.get("code")
    return FormError(exc.detail or exc.title, code=code if isinstance(code, str) else None, status=exc.status)


def _form(request: Request, context: VerifierContext, error: FormError | None = None, url: str = "") -> HTMLResponse:
    language = switch.request_language(request)
    html = context.pages.form(
        language=language,
        here=switch.current_path(request),
        error=error,
        max_bytes=context.settings.max_body_bytes,
        url=url,
    )
    return _page(html, language, status=error.status if error else 200)


@router.get("/", response_class=HTMLResponse)
async def form_page(request: Request, context: Context) -> HTMLResponse:
    return _form(request, context)


@router.get("/verify", response_class=HTMLResponse)
async def result_page_for_url(request: Request, context: Context, url: str = "") -> HTMLResponse:
    try:
        presented = await presented_from_url(context, url.strip())
    except Problem as exc:
        return _form(request, context, _problem_error(exc), url=url)
    return await _result(request, context, presented)


@router.post("/verify", response_class=HTMLResponse)
async def result_page(request: Request, context: Context) -> HTMLResponse:
    limit = context.settings.max_body_bytes
    try:
        presented = await presented_bytes(request, limit, context.verifier)
    except UnreadableInput as exc:
        return _form(request, context, FormError(exc.message, code=exc.code))
    except Problem as exc:  # too large: a person gets the form again, with the reason
        return _form(request, context, _problem_error(exc))
    return await _result(request, context, presented)


async def _result(request: Request, context: VerifierContext, presented: bytes) -> HTMLResponse:
    report = await context.verifier.verify(presented)
    language = switch.request_language(request)
    html = context.pages.result(
        report,
        warnings_of(report),
        summarize(presented, report),
        language=language,
        # a result posted from the form cannot be shown again by a link: switching leads back to the form
        here=switch.current_path(request) if request.method == "GET" else "/",
    )
    return _page(html, language)


@router.get("/language")
async def languages() -> Response:
    """The switch is on every page; this address alone leads back to the form."""
    return RedirectResponse("/", status_code=303)


@router.get("/language/{language}")
async def switch_language(language: str, context: Context, next: str = "/") -> Response:
    """A link, not a form: it works without JavaScript and only sets a preference (nothing to protect by CSRF)."""
    return switch.switch_language(language, next, secure=context.settings.platform.production)


@router.get("/static/verifier.css")
async def style() -> Response:
    return Response(
        stylesheet(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
