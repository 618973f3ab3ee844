"""The rate limit at the verifier's edge: before the body is read, a client over its rate gets 429 + Retry-After.

Limited: every request that makes the verifier work for an anonymous caller (any POST, and the GETs that verify
a URL). Not limited: the form, the stylesheet, the language switch, the health checks and the API documents.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from rexvet_common.problems import Problem, problem_response
from rexvet_verifier.api.rate_limits import RateLimiter, client_address, retry_after_header

VERIFYING_GETS = frozenset({"/v1/verify", "/verify"})


class TooManyRequests(Problem):
    status, title, slug = 429, "Too Many Requests", "too-many-requests"


def is_limited(method: str, path: str) -> bool:
    return method == "POST" or (method == "GET" and path in VERIFYING_GETS)


class LimitedRequestsEdge:
    """ASGI middleware that acts on the limited requests only (`limited`, given the started service's context, None
    before it has started); every other request passes straight through. The rate limit and the admission are two."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        runtime = getattr(scope["app"].state, "runtime", None)
        await self.limited(getattr(runtime, "context", None), scope, receive, send)

    async def limited(self, context: Any, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class RateLimitEdge(LimitedRequestsEdge):
    """The limiter and the trusted proxies come from the started service's context."""

    async def limited(self, context: Any, scope: Scope, receive: Receive, send: Send) -> None:
        limiter: RateLimiter | None = getattr(context, "rate_limiter", None)
        if limiter is None:  # not started yet, or no limit configured
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        client = client_address(
            peer[0] if peer else None,
            Headers(scope=scope).get("x-forwarded-for"),
            context.settings.trusted_proxy_networks,
        )
        wait = limiter.take(client)
        if wait is None:
            await self.app(scope, receive, send)
            return
        retry_after = retry_after_header(wait)
        problem = TooManyRequests(
            f"this client asked for more verifications than it may; try again in {retry_after} s",
            headers={"Retry-After": retry_after},
            code="rate_limited",
            retry_after=int(retry_after),
        )
        response = problem_response(problem)
        await response(scope, receive, send)
