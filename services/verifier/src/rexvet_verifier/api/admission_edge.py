"""Admission at the verifier's edge, inside the rate limit: a limited request waits for its turn (`admission.py`)
before its body is read; one that waits too long is answered 503 with Retry-After. Not gated, as not rate-limited:
the health checks, the form, the stylesheet, the API documents.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from rexvet_common.problems import ServiceUnavailable, problem_response
from rexvet_verifier.api.admission import AdmissionTimeout, LagAdmission
from rexvet_verifier.api.rate_limiting import is_limited

OVERLOADED_RETRY_AFTER_SECONDS = 5


class AdmissionEdge:
    """ASGI middleware; the admission comes from the started service's context (none: nothing is held back)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        runtime = getattr(scope["app"].state, "runtime", None)
        admission: LagAdmission | None = getattr(getattr(runtime, "context", None), "admission", None)
        if admission is None:
            await self.app(scope, receive, send)
            return
        try:
            async with admission.turn():
                await self.app(scope, receive, send)
        except AdmissionTimeout:
            problem = ServiceUnavailable(
                f"the verifier is busy with other verifications; try again in {OVERLOADED_RETRY_AFTER_SECONDS} s",
                headers={"Retry-After": str(OVERLOADED_RETRY_AFTER_SECONDS)},
                code="overloaded",
                retry_after=OVERLOADED_RETRY_AFTER_SECONDS,
            )
            await problem_response(problem)(scope, receive, send)
