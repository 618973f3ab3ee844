"""Sign in (`/signin` -> the provider -> `/auth/callback`), sign out (`POST /signout`), and the language switch."""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rexvet_common.web_i18n import switch as web_switch
from rexvet_portal.api.deps import SESSION_COOKIE, SIGNIN_STATE_COOKIE, Context, MaybeSession, check_csrf
from rexvet_portal.application.errors import SignInFailed
from rexvet_portal.application.sign_in import safe_return_path

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


@router.get("/signin")
async def sign_in(request: Request, context: Context, session: MaybeSession, next: str = "/") -> Response:
    if session is not None:
        return RedirectResponse(safe_return_path(next), status_code=303)
    start = await context.sign_in.begin(next)
    response = RedirectResponse(start.url, status_code=303)
    # Binds the sign-in to this browser: a callback with someone else's state (login CSRF) is refused.
    response.set_cookie(
        SIGNIN_STATE_COOKIE,
        start.state,
        max_age=600,
        httponly=True,
        samesite="lax",
        secure=context.settings.secure_cookies,
        path="/auth/callback",
    )
    return response


@router.get("/auth/callback")
async def callback(
    request: Request,
    context: Context,
    state: str = "",
    code: str = "",
    error: str = "",
    iss: str = "",
) -> Response:
    expected = request.cookies.get(SIGNIN_STATE_COOKIE, "")
    if error or not code or not state or not expected or not hmac.compare_digest(state, expected):
        if error:
            log.info("the provider ended the sign-in with %s", error)
        response = context.pages.render(
            request, "error.html", session=None, status=400, kind="signin_failed", service=None
        )
        response.delete_cookie(SIGNIN_STATE_COOKIE, path="/auth/callback")
        return response
    try:
        session, return_to = await context.sign_in.finish(state=state, code=code, iss=iss or None)
    except SignInFailed as exc:
        log.warning("sign-in failed: %s", exc)
        response = context.pages.render(
            request, "error.html", session=None, status=400, kind="signin_failed", service=None
        )
        response.delete_cookie(SIGNIN_STATE_COOKIE, path="/auth/callback")
        return response
    redirect = RedirectResponse(return_to, status_code=303)
    redirect.set_cookie(
        SESSION_COOKIE,
        session.id,
        httponly=True,
        samesite="lax",
        secure=context.settings.secure_cookies,
        path="/",
        max_age=context.settings.session_ttl_seconds,
    )
    redirect.delete_cookie(SIGNIN_STATE_COOKIE, path="/auth/callback")
    return redirect


@router.post("/signout")
async def sign_out(request: Request, context: Context, session: MaybeSession) -> Response:
    if session is not None:
        await check_csrf(request, session)
        await context.sign_in.sign_out(session.id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language")
async def languages() -> Response:
    """The switch is on every page; this address alone leads back to the front page."""
    return RedirectResponse("/", status_code=303)


@router.get("/language/{language}")
async def switch_language(language: str, context: Context, next: str = "/") -> Response:
    """A link, not a form: it works without JavaScript and only sets a preference (nothing to protect by CSRF)."""
    return web_switch.switch_language(language, next, secure=context.settings.secure_cookies)
