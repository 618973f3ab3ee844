"""The request edge of every service: what is refused before an endpoint does any work.

One ASGI middleware, in front of the FastAPI app, in this order:
1. A NUL character in the path or the query (no store takes it, nor a file name): 400 naming where it is.
2. A route that needs a token: the token is checked now, before one byte of the body is read (401 without it).
3. The body is read up to the route's limit (`BodyLimit` on the route, else the service's `max_body_bytes`):
   a larger `Content-Length` is 413 at once, a body that grows past the limit is 413 as soon as it does. A route
   that streams its body itself (the evidence file upload) is passed through: it keeps its own streamed limit.
4. A JSON body is checked for what no store or encoder accepts, the field named: nesting deeper than
   `MAX_JSON_DEPTH` (400, as malformed JSON), a lone surrogate such as "\\ud800" (422); on a service that stores
   what it is sent, anything `unstorable_reason` refuses too (NUL, integers past 64 bits, keys with '.' or '$').
Malformed JSON and a wrong media type are left to the app (`rexvet_common.problems`, `json_bodies`), unchanged.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rexvet_common.auth.dependencies import PRINCIPAL_SCOPE_KEY, authenticated, bearer_token, token_verifier_from
from rexvet_common.auth.principal import Principal
from rexvet_common.errors import BackendUnavailableError
from rexvet_common.http.json_bodies import is_json_media_type
from rexvet_common.json_text import MAX_JSON_DEPTH, MalformedJson, too_deep_at
from rexvet_common.ports.document_store import first_unstorable, has_lone_surrogate
from rexvet_common.problems import (
    BadRequest,
    ContentTooLarge,
    Problem,
    ServiceUnavailable,
    malformed_json_problem,
    problem_response,
    validation_problem,
)

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class BodyLimit:
    """A route's own body limit, as a no-op dependency the edge finds on the route: `Depends(BodyLimit(10_000))`.

    `streamed=True`: the endpoint reads the body as a stream and enforces its own limit; the edge does not buffer it
    (but still checks the token first).
    """

    def __init__(self, max_bytes: int | None = None, *, streamed: bool = False) -> None:
        self.max_bytes = max_bytes
        self.streamed = streamed

    async def __call__(self) -> None:
        return None


@dataclass(frozen=True)
class RoutePolicy:
    needs_token: bool
    max_bytes: int | None
    streamed: bool


class RequestEdge:
    """The middleware; `stored_bodies=False` on a service that keeps nothing it is sent (the verifier)."""

    def __init__(self, app: ASGIApp, *, service: FastAPI, stored_bodies: bool = True) -> None:
        self.app = app
        self.service = service
        self.stored_bodies = stored_bodies
        self._policies: dict[int, RoutePolicy] = {}
        self._routes: list[tuple[re.Pattern[str], frozenset[str], BaseRoute]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            receive = await self._admit(scope, receive)
        except Problem as problem:
            response = await self._answer(problem, Request(scope))
            response.headers["Connection"] = "close"  # the unread rest of the body is not waited for
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _answer(self, problem: Problem, request: Request) -> Response:
        """Through the app's own handler, so that an API with its own error shape (OB 3.0's Imsx) keeps it."""
        handler = self.service.exception_handlers.get(Problem)
        if handler is None:
            return problem_response(problem, request)
        answer = handler(request, problem)
        response = await answer if inspect.isawaitable(answer) else answer
        assert isinstance(response, Response)
        return response

    async def _admit(self, scope: Scope, receive: Receive) -> Receive:
        _refuse_nul_in_target(scope)
        route = self._route(scope)
        policy = self._policy(route) if route is not None else RoutePolicy(False, None, False)
        if policy.needs_token:
            await self._verify_token(scope)
        if policy.streamed:
            return receive
        limit = policy.max_bytes or self._default_limit()
        body, disconnected = await _read_within(scope, receive, limit)
        if disconnected:
            return _disconnected
        content_type = _header(scope, b"content-type")
        if body and content_type and is_json_media_type(content_type):
            self._check_json(body)
        return _replay(body, receive)

    def _route(self, scope: Scope) -> BaseRoute | None:
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        method = scope["method"]
        for pattern, methods, route in self._table():
            if pattern.match(path) and (not methods or method in methods or (method == "HEAD" and "GET" in methods)):
                return route
        return None

    def _table(self) -> list[tuple[re.Pattern[str], frozenset[str], BaseRoute]]:
        """Every route with its full path (included routers flattened, as FastAPI's OpenAPI generator sees them)."""
        if self._routes is None:
            table = []
            for context in iter_route_contexts(self.service.router.routes):
                if context.path is None:
                    continue
                pattern, _, _ = compile_path(context.path)
                table.append((pattern, frozenset(context.methods or ()), context.original_route))
            self._routes = table
        return self._routes

    def _policy(self, route: BaseRoute) -> RoutePolicy:
        cached = self._policies.get(id(route))
        if cached is None:
            cached = self._policies[id(route)] = _policy_of(route)
        return cached

    def _default_limit(self) -> int:
        settings = getattr(self.service.state, "settings", None)
        limit = getattr(settings, "max_body_bytes", None)
        return limit if isinstance(limit, int) else DEFAULT_MAX_BODY_BYTES

    async def _verify_token(self, scope: Scope) -> None:
        request = Request(scope)
        token = bearer_token(request.headers.get("authorization"))
        try:
            principal: Principal = await token_verifier_from(request, self.service).verify(token)
        except BackendUnavailableError as exc:
            # The issuer's keys cannot be had (down past the staleness bound): the caller should retry, not give up.
            raise ServiceUnavailable(f"cannot check the token now: {exc}", headers={"Retry-After": "5"}) from exc
        scope[PRINCIPAL_SCOPE_KEY] = (token, principal)

    def _check_json(self, body: bytes) -> None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return  # the app answers it (400 naming the byte)
        deep = too_deep_at(text)
        if deep is not None:
            reason = f"arrays and objects nest deeper than {MAX_JSON_DEPTH} levels"
            raise malformed_json_problem(MalformedJson.at(text, deep, reason))
        if not self.stored_bodies and _SURROGATE_ESCAPE.search(text) is None:
            return  # nothing left that could be refused (see `_first_refusal`): the body need not be decoded here
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return  # malformed: the app answers it, with line and column
        refusal = _first_refusal(value, text, stored=self.stored_bodies)
        if refusal is not None:
            location, message = refusal
            raise validation_problem(
                [{"location": location, "message": message}],
                detail=f"{location}: {message}; send a value that every store and encoder takes",
            )


def _first_refusal(value: Any, text: str, *, stored: bool) -> tuple[str, str] | None:
    if stored:
        found = first_unstorable(value)
        if found is None:
            return None
        return _location(found.parts), found.reason
    if _SURROGATE_ESCAPE.search(text) is None:
        # Text decoded from UTF-8 holds no surrogate, so a lone one can only come from a \uD800-\uDFFF escape. Without
        # one, the walk below (hundreds of milliseconds for a credential of 6,000 objects) cannot find anything.
        return None
    return _first_surrogate(value)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _first_surrogate(value: Any) -> tuple[str, str] | None:
    """A lone surrogate anywhere (no UTF-8 encoder takes it); iterative, the depth is bounded but not small."""
    pending: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while pending:
        item, parts = pending.pop()
        if isinstance(item, str) and has_lone_surrogate(item):
            return _location(parts), "a string with a lone surrogate (not UTF-8)"
        if isinstance(item, dict):
            for key, child in item.items():
                if has_lone_surrogate(key):
                    return _location(parts), f"key {key!r} has a lone surrogate (not UTF-8)"
                pending.append((child, (*parts, key)))
        elif isinstance(item, list):
            pending.extend((child, (*parts, index)) for index, child in enumerate(item))
    return None


def _location(parts: tuple[str | int, ...]) -> str:
    return ".".join(["body", *(str(part) for part in parts)])


def _policy_of(route: BaseRoute) -> RoutePolicy:
    if not isinstance(route, APIRoute):
        return RoutePolicy(False, None, False)
    limits = [call for call in _calls(route.dependant) if isinstance(call, BodyLimit)]
    needs_token = authenticated in _calls(route.dependant)
    limit = limits[0] if limits else None
    return RoutePolicy(needs_token, limit.max_bytes if limit else None, bool(limit and limit.streamed))


def _calls(dependant: Dependant) -> list[Callable[..., Any]]:
    found: list[Callable[..., Any]] = []
    pending = [dependant]
    while pending:
        current = pending.pop()
        if current.call is not None:
            found.append(current.call)
        pending.extend(current.dependencies)
    return found


def _refuse_nul_in_target(scope: Scope) -> None:
    if "\x00" in scope["path"]:
        raise BadRequest(
            f"the path {scope['path']!r} has a NUL character (%00); remove it", code="nul_in_path", location="path"
        )
    query = scope.get("query_string", b"").decode("latin-1")
    if "%00" in query or "\x00" in query:
        for name, value in parse_qsl(query, keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                raise BadRequest(
                    f"the query parameter {name!r} has a NUL character (%00); remove it",
                    code="nul_in_query",
                    location=f"query.{name}",
                )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _read_within(scope: Scope, receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole body (and whether the client went away first), or 413 as soon as it passes `limit`."""
    declared = _header(scope, b"content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise ContentTooLarge(f"the body has {declared.strip()} bytes; at most {limit} are accepted", max_bytes=limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"", True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise ContentTooLarge(f"the body is larger than {limit} bytes, the most accepted", max_bytes=limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


async def _disconnected() -> Message:
    return {"type": "http.disconnect"}


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read, then the connection's own messages (a streaming response listens there for a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
