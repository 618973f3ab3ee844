"""Error pages: a service's refusal or absence becomes a page that says what happened, never a stack trace.

401 from a service -> sign in again; 403 -> "not allowed"; 404 -> "not found" (another person's page is a 404 too,
the services do not tell the difference); a service down -> 503 naming it.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rexvet_portal.api.deps import SESSION_COOKIE, CsrfRefused, SignInRequired
from rexvet_portal.application.errors import NotAllowed, NotFoundThere, Refused, ServiceDown, SignInNeeded

log = logging.getLogger(__name__)


def _error_page(
    request: Request, status: int, kind: str, service: str | None = None, kept: dict[str, str] | None = None
) -> Response:
    pages = getattr(getattr(request.app.state, "runtime", None), "context", None)
    if pages is None:  # not started yet: there is no renderer to ask, but the status still says what happened
        return Response(f"{status} {kind.replace('_', ' ')}", status_code=status, media_type="text/plain")
    session = getattr(request.state, "session", None)
    rendered: Response = pages.pages.render(
        request, "error.html", session=session, status=status, kind=kind, service=service, kept=kept
    )
    return rendered


def _sign_in_redirect(return_to: str) -> RedirectResponse:
    return RedirectResponse(f"/signin?next={quote(return_to, safe='')}", status_code=303)


async def on_sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return _sign_in_redirect(exc.return_to)


async def on_sign_in_needed(request: Request, exc: Exception) -> Response:
    # The service refused the person's token (revoked, or the provider's keys changed): the session is over, or the
    # sign-in page would send the still signed-in person straight back here, and round again.
    log.info("a service refused the session's token: %s", exc)
    session = getattr(request.state, "session", None)
    runtime = getattr(request.app.state, "runtime", None)
    if session is not None and runtime is not None:
        await runtime.context.sign_in.sign_out(session.id)
    response = _sign_in_redirect(request.url.path if request.method == "GET" else "/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def on_not_allowed(request: Request, exc: Exception) -> Response:
    return _error_page(request, 403, "forbidden")


async def on_not_found(request: Request, exc: Exception) -> Response:
    return _error_page(request, 404, "not_found")


async def on_service_down(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceDown)
    log.warning("a service is unavailable: %s", exc)
    kept = exc.kept
    typed = getattr(request.state, "typed", None)
    if kept is None and request.method == "POST" and typed is not None:
        # A form the route had read: the page offers to send what was typed again, once the service is back.
        kept = {**typed, "action": request.url.path}
    return _error_page(request, 503, "unavailable", service=exc.service, kept=kept)


async def on_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    log.info("a service refused a request: %s", exc)
    return _error_page(request, 400 if exc.status < 500 else 502, "refused")


async def on_csrf(request: Request, exc: Exception) -> Response:
    return _error_page(request, 403, "csrf")


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return _error_page(request, 404, "not_found")
    return _error_page(request, exc.status_code, "refused")


async def on_validation(request: Request, exc: Exception) -> Response:
    return _error_page(
        request, 404 if request.method == "GET" else 400, "not_found" if request.method == "GET" else "refused"
    )


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return _error_page(request, 500, "unexpected")


def install_error_pages(app: FastAPI) -> None:
    """Replaces the service kit's JSON problem handlers: people get pages (the health endpoints still answer JSON)."""
    app.add_exception_handler(SignInRequired, on_sign_in_required)
    app.add_exception_handler(SignInNeeded, on_sign_in_needed)
    app.add_exception_handler(NotAllowed, on_not_allowed)
    app.add_exception_handler(NotFoundThere, on_not_found)
    app.add_exception_handler(ServiceDown, on_service_down)
    app.add_exception_handler(Refused, on_refused)
    app.add_exception_handler(CsrfRefused, on_csrf)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_unexpected)
