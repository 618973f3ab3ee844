"""The public pages: a form to paste or upload a credential, and a result page that shows every check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from rexvet_common.problems import Problem
from rexvet_verifier.api.requests import Context, presented_bytes, presented_from_url
from rexvet_verifier.bootstrap import VerifierContext
from rexvet_verifier.pages import PAGE_HEADERS, stylesheet
from rexvet_verifier.presented_input import UnreadableInput
from rexvet_verifier.summary import summarize
from rexvet_verifier.verification import warnings_of

router = APIRouter(include_in_schema=False)


def _page(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


@router.get("/", response_class=HTMLResponse)
async def form_page(context: Context) -> HTMLResponse:
    return _page(context.pages.form(max_bytes=context.settings.max_body_bytes))


@router.get("/verify", response_class=HTMLResponse)
async def result_page_for_url(context: Context, url: str = "") -> HTMLResponse:
    limit = context.settings.max_body_bytes
    try:
        presented = await presented_from_url(context, url.strip())
    except Problem as exc:
        return _page(context.pages.form(error=exc.detail or exc.title, max_bytes=limit, url=url), status=exc.status)
    return await _result(context, presented)


@router.post("/verify", response_class=HTMLResponse)
async def result_page(request: Request, context: Context) -> HTMLResponse:
    limit = context.settings.max_body_bytes
    try:
        presented = await presented_bytes(request, limit)
    except UnreadableInput as exc:
        return _page(context.pages.form(error=exc.message, max_bytes=limit), status=400)
    except Problem as exc:  # too large: a person gets the form again, with the reason
        return _page(context.pages.form(error=exc.detail or exc.title, max_bytes=limit), status=exc.status)
    return await _result(context, presented)


async def _result(context: VerifierContext, presented: bytes) -> HTMLResponse:
    report = await context.verifier.verify(presented)
    return _page(context.pages.result(report, warnings_of(report), summarize(presented, report)))


@router.get("/static/verifier.css")
async def style() -> Response:
    return Response(
        stylesheet(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
