"""The OpenAPI document says what the services really answer on error: RFC 9457 problem details.

FastAPI documents every 422 as `application/json` with its own `HTTPValidationError` shape, but every error here is
`application/problem+json` (`rexvet_common.problems`). A client generated from the document, or schemathesis
checking answers against it, would find every refusal "undocumented". This rewrites the error responses of every
operation that has no error content of its own to the problem media type and the `Problem` schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from rexvet_common.problems import PROBLEM_MEDIA_TYPE

PROBLEM_REF = "#/components/schemas/Problem"
FASTAPI_VALIDATION_REF = "#/components/schemas/HTTPValidationError"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` lists each invalid field of a 422 as {location, message}",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["type", "title", "status"],
    "additionalProperties": True,
}


def install_problem_openapi(app: FastAPI) -> None:
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_problem_responses(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def with_problem_responses(document: dict[str, Any]) -> dict[str, Any]:
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if str(status)[:1] in ("4", "5") and _generic(response):
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    if FASTAPI_VALIDATION_REF not in str(document.get("paths", {})):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    return document


def _generic(response: dict[str, Any]) -> bool:
    """FastAPI's own 422, or an error documented by its description only: both are answered as problems. An
    operation that documents its own error content (the OB 3.0 API's Imsx_StatusInfo) keeps it."""
    content = response.get("content")
    if not content:
        return True
    schemas = [media.get("schema", {}) for media in content.values()]
    return all(isinstance(schema, dict) and schema.get("$ref") == FASTAPI_VALIDATION_REF for schema in schemas)
