"""RFC 9457 problem details: every error a service answers over HTTP has this shape.

Entry points raise a `Problem` (or let a known error reach the handlers); `install_problem_handlers` turns all of
them, FastAPI's own validation and routing errors included, into `application/problem+json`.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from rexvet_common.errors import BackendUnavailableError, InvalidQueryError
from rexvet_common.json_text import MalformedJson

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://rexvet.org/problems/"


class Problem(Exception):
    """An error answer: `status`, a short `title`, a `detail` that tells the caller what to change."""

    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        title: str | None = None,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or title or self.title)
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        if slug is not None:
            self.slug = slug
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions

    @property
    def type(self) -> str:
        return PROBLEM_TYPE_BASE + self.slug

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


class BadRequest(Problem):
    status, title, slug = 400, "Bad Request", "bad-request"


class Unauthorized(Problem):
    """401: the bearer token is missing, malformed, badly signed or expired."""

    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": _bearer_challenge(detail)}, **extensions)


class Forbidden(Problem):
    """403: a valid token that lacks the scope or role the operation needs."""

    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(Problem):
    """404: absent, or owned by another tenant (the two are indistinguishable on purpose)."""

    status, title, slug = 404, "Not Found", "not-found"


class Conflict(Problem):
    status, title, slug = 409, "Conflict", "conflict"


class ContentTooLarge(Problem):
    status, title, slug = 413, "Content Too Large", "too-large"


class UnsupportedMediaType(Problem):
    """415: the body is not of a media type the endpoint reads; `accepted` lists those it does."""

    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"

    def __init__(self, detail: str, *, accepted: list[str], **extensions: Any) -> None:
        extensions.setdefault("code", "unsupported_media_type")
        super().__init__(detail, accepted=accepted, **extensions)


def validation_problem(
    errors: list[dict[str, str]], detail: str = "the request does not match the API's schema: see `errors`"
) -> Problem:
    """422, each error as {"location": "body.field", "message": ...}: FastAPI's and an endpoint's own rules alike."""
    return Problem(detail, status=422, title="Unprocessable Content", slug="validation", errors=errors)


def malformed_json_problem(error: MalformedJson) -> Problem:
    """400 for a body that is not JSON, the same on every service: what is wrong and where."""
    return BadRequest(
        error.message,
        title="Malformed JSON",
        slug="malformed-json",
        code="not_json",
        line=error.line,
        column=error.column,
        position=error.position,
    )


class ServiceUnavailable(Problem):
    status, title, slug = 503, "Service Unavailable", "unavailable"


def _bearer_challenge(detail: str) -> str:
    escaped = detail.replace("\\", "\\\\").replace('"', '\\"')
    return f'Bearer error="invalid_token", error_description="{escaped}"'


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    instance = request.url.path if request is not None else None
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc, request)


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI's "There was an error parsing the body" for a JSON body that is not UTF-8: say where instead.
        return problem_response(malformed_json_problem(MalformedJson.not_utf8(exc.__cause__)), request)
    problem = Problem(
        str(exc.detail) if exc.detail else None,
        status=exc.status_code,
        title=_reason(exc.status_code),
        slug=f"http-{exc.status_code}",
        headers=dict(exc.headers or {}),
    )
    return problem_response(problem, request)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    malformed = _malformed_json(exc)
    if malformed is not None:
        return problem_response(malformed_json_problem(malformed), request)
    errors = [
        {"location": ".".join(str(part) for part in error.get("loc", ())), "message": error.get("msg", "")}
        for error in exc.errors()
    ]
    return problem_response(validation_problem(errors), request)


def _malformed_json(exc: RequestValidationError) -> MalformedJson | None:
    """FastAPI reports a body it could not decode as a validation error at ("body", offset): it is a 400."""
    for error in exc.errors():
        location = error.get("loc", ())
        if error.get("type") == "json_invalid" and len(location) == 2 and isinstance(location[1], int):
            document = exc.body if isinstance(exc.body, str) else ""
            reason = str(error.get("ctx", {}).get("error", "it cannot be decoded"))
            return MalformedJson.at(document, location[1], reason)
    return None


async def _on_malformed_json(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MalformedJson)
    return problem_response(malformed_json_problem(exc), request)


async def _on_backend_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("backend unavailable: %s", exc)
    return problem_response(ServiceUnavailable(f"a backend is unreachable: {exc}"), request)


async def _on_invalid_query(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(BadRequest(str(exc)), request)


async def _on_client_disconnect(request: Request, exc: Exception) -> Response:
    # The client closed its connection before its request was read (a load generator stopping, a user leaving a page,
    # a request that waited for its turn): no one to answer and nothing wrong with the service.
    log.info("the client of %s %s went away before its request was read", request.method, request.url.path)
    return Response(status_code=400)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem_response(Problem("an unexpected error occurred; it has been logged"), request)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(MalformedJson, _on_malformed_json)
    app.add_exception_handler(BackendUnavailableError, _on_backend_unavailable)
    app.add_exception_handler(InvalidQueryError, _on_invalid_query)
    app.add_exception_handler(ClientDisconnect, _on_client_disconnect)
    app.add_exception_handler(Exception, _on_unexpected)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
