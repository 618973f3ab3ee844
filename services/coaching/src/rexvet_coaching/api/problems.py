"""Domain errors as RFC 9457 problems: the status follows the error's family, the `type` its code."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from rexvet_coaching.domain import errors
from rexvet_common.problems import Problem, problem_response

STATUS = (
    (errors.FrameworkLoadError, 422, "Invalid Framework"),
    (errors.NotFound, 404, "Not Found"),
    (errors.Conflict, 409, "Conflict"),
    (errors.Forbidden, 403, "Forbidden"),
    (errors.InvalidInput, 422, "Unprocessable Content"),
)


def as_problem(exc: errors.CoachingError) -> Problem:
    status, title = 400, "Bad Request"
    for kind, kind_status, kind_title in STATUS:
        if isinstance(exc, kind):
            status, title = kind_status, kind_title
            break
    problem = Problem(str(exc), status=status, title=title, slug=exc.code)
    if isinstance(exc, errors.FrameworkLoadError):
        problem.extensions["errors"] = [{"path": path, "reason": reason} for path, reason in exc.problems]
    return problem


async def _on_coaching_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.CoachingError)
    return problem_response(as_problem(exc), request)


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.CoachingError, _on_coaching_error)
