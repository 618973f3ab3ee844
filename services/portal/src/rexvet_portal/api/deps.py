"""What the portal's routes share: the context, the session of the request, the CSRF check of every form."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from rexvet_common.http import runtime_from
from rexvet_portal.bootstrap import PortalContext
from rexvet_portal.domain.session import Session

SESSION_COOKIE = "rexvet_session"
SIGNIN_STATE_COOKIE = "rexvet_signin_state"


class SignInRequired(Exception):
    """No live session: the person is sent to sign in, then back to `return_to`."""

    def __init__(self, return_to: str) -> None:
        super().__init__(return_to)
        self.return_to = return_to


class CsrfRefused(Exception):
    """A form arrived without the session's CSRF token."""


def portal_context(request: Request) -> PortalContext:
    context = runtime_from(request).context
    assert isinstance(context, PortalContext)
    return context


Context = Annotated[PortalContext, Depends(portal_context)]


async def optional_session(request: Request, context: Context) -> Session | None:
    session = await context.sign_in.current(request.cookies.get(SESSION_COOKIE))
    request.state.session = session  # the error pages show who is signed in, too
    return session


async def required_session(request: Request, session: Annotated[Session | None, Depends(optional_session)]) -> Session:
    if session is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path if request.method == "GET" else "/")
    return session


MaybeSession = Annotated[Session | None, Depends(optional_session)]
SignedIn = Annotated[Session, Depends(required_session)]


async def check_csrf(request: Request, session: Session) -> None:
    """Every POST carries the session's CSRF token in the form (the cookie alone proves nothing)."""
    form = await request.form()
    # Kept for the 503 page, which offers to send what was typed again when a service was down.
    request.state.typed = {
        name: value for name, value in form.items() if isinstance(value, str) and name != "csrf_token"
    }
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf_token):
        raise CsrfRefused()
