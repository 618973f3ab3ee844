"""Errors of the Open Badges 3.0 API as its clients read them: `Imsx_StatusInfo` bodies, not RFC 9457 problems.

OB 3.0 (§6.2, the OpenAPI file) answers every error of `/ims/ob/v3p0/*` with an `Imsx_StatusInfo` as
`application/json`. The rest of the platform answers problem details, and its handlers (rexvet_common.problems)
already decide each error's status, message and headers; `install_imsx_errors` wraps those handlers so that, under
the OB prefix only, the same decision is rewritten into the OB shape (status and headers such as `WWW-Authenticate`
or `Allow` kept). The OB API lists no 422, so a request that fails validation there is a 400.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

OB_PREFIX = "/ims/ob/v3p0"
# "the identity of the system that has produced the code minor status code report"
REPORTING_SYSTEM = "rexvet-issuer"

CodeMajor = Literal["failure", "processing", "success", "unsupported"]
Severity = Literal["error", "status", "warning"]

# HTTP status -> the Imsx_CodeMinorFieldValue that says the same thing (OB 3.0 vocabulary).
_CODE_MINOR = {
    400: "invalid_data",
    401: "unauthorizedrequest",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
    406: "not_acceptable",
    421: "misdirected_request",
    429: "server_busy",
    503: "server_busy",
}

Handler = Callable[[Request, Exception], Awaitable[Response]]


def status_info(
    description: str,
    *,
    code_minor: str,
    code_major: CodeMajor = "failure",
    severity: Severity = "error",
) -> dict[str, Any]:
    return {
        "imsx_codeMajor": code_major,
        "imsx_severity": severity,
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": REPORTING_SYSTEM, "imsx_codeMinorFieldValue": code_minor}
            ]
        },
    }


def imsx_response(
    status: int,
    description: str,
    *,
    code_minor: str | None = None,
    code_major: CodeMajor | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    minor = code_minor or _CODE_MINOR.get(status, "internal_server_error" if status >= 500 else "unknown")
    # An operation this server does not offer is "unsupported"; every other error is a "failure".
    major: CodeMajor = code_major or ("unsupported" if status in (405, 501) else "failure")
    body = status_info(description, code_minor=minor, code_major=major)
    return JSONResponse(body, status_code=status, headers=headers, media_type="application/json")


def is_ob_request(request: Request) -> bool:
    path = request.url.path
    return path == OB_PREFIX or path.startswith(OB_PREFIX + "/")


def _as_imsx(problem_response: Response) -> JSONResponse:
    """The problem-details answer of the platform's handler, said as an Imsx_StatusInfo."""
    try:
        problem = json.loads(bytes(problem_response.body))
    except ValueError:
        problem = {}
    status = problem_response.status_code
    description = str(problem.get("detail") or problem.get("title") or "the request failed")
    code_minor = None
    if status == 422 and "errors" in problem:
        status = 400
        errors = problem["errors"]
        in_query = any(str(error.get("location", "")).startswith("query") for error in errors)
        code_minor = "invalid_query_parameter" if in_query else "invalid_data"
        description = "; ".join(f"{error.get('location')}: {error.get('message')}" for error in errors)
    headers = {
        name: value
        for name, value in problem_response.headers.items()
        if name.lower() not in ("content-length", "content-type")
    }
    return imsx_response(status, description, code_minor=code_minor, headers=headers)


def _scoped(original: Handler) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        response = await original(request, exc)
        return _as_imsx(response) if is_ob_request(request) else response

    return handler


def install_imsx_errors(app: FastAPI) -> None:
    """Under OB_PREFIX, every error handler already installed answers in the OB shape; elsewhere, unchanged.

    Call it after the problem handlers are installed and before the app serves (Starlette reads the handlers when
    it builds its middleware stack on the first request).
    """
    for exception_class, original in list(app.exception_handlers.items()):
        app.exception_handlers[exception_class] = _scoped(original)  # type: ignore[arg-type]
