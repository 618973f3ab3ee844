"""Admission at the verifier's edge, inside the rate limit: a limited request waits for its turn (`admission.py`)
before its body is read; one that waits too long is answered 503 with Retry-After. Not gated, as not rate-limited:
the health checks, the form, the stylesheet, the API documents.
"""

from __future__ import annotations

from typing import Any

from starlette.types import Receive, Scope, Send

from rexvet_common.problems import ServiceUnavailable, problem_response
from rexvet_verifier.api.admission import AdmissionTimeout, LagAdmission
from rexvet_verifier.api.rate_limiting import LimitedRequestsEdge

OVERLOADED_RETRY_AFTER_SECONDS = 5


class AdmissionEdge(LimitedRequestsEdge):
    """The admission comes from the started service's context (none: nothing is held back)."""

    async def limited(self, context: Any, scope: Scope, receive: Receive, send: Send) -> None:
        admission: LagAdmission | None = getattr(context, "admission", None)
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
