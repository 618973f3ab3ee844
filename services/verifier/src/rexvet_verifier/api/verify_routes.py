"""`POST /v1/verify` (the full report, 200 whatever the outcome), `GET /v1/verify?url=` and the W3C VC-API route."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from rexvet_common.problems import BadRequest, Problem
from rexvet_credentials.report import CheckOutcome, Severity, VerificationReport
from rexvet_verifier.api.requests import (
    Context,
    media_type,
    presented_bytes,
    presented_from_url,
    problem_for,
    read_limited,
)
from rexvet_verifier.application.presentations import parse_presentation, verify_presentation
from rexvet_verifier.application.verification import report_body, warnings_of
from rexvet_verifier.domain.presented_input import JSON_TYPES, UnreadableInput, parse_json, presented_from_json

router = APIRouter(tags=["verify"])

_ANY_CREDENTIAL = {"schema": {"type": "string", "format": "binary"}}
_VERIFY_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A credential: JSON (the object, or {verifiableCredential}), a VC-JWT, or a baked image",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/jwt": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "image/png": _ANY_CREDENTIAL,
            "image/svg+xml": _ANY_CREDENTIAL,
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"image": {"type": "string", "format": "binary"}, "credential": {"type": "string"}},
                }
            },
        },
    }
}


def _vc_api_request(member: str, member_schema: dict[str, Any], options_schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI request body of a VC-API call: a JSON object with `member` and, optionally, `options`."""
    schema = {"type": "object", "required": [member], "properties": {member: member_schema, "options": options_schema}}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


_VC_API_BODY = _vc_api_request("verifiableCredential", {}, {"type": "object"})


class CredentialNotVerified(Problem):
    status, title, slug = 422, "Credential Not Verified", "credential-not-verified"


@router.post(
    "/v1/verify",
    summary="Verify a credential and report every check",
    openapi_extra=_VERIFY_BODY,
    response_model=dict[str, Any],
    responses={200: {"description": "The report, whether the credential is verified, failed or incomplete"}},
)
async def verify(request: Request, context: Context) -> JSONResponse:
    try:
        presented = await presented_bytes(request, context.settings.max_body_bytes, context.verifier)
    except UnreadableInput as exc:
        raise problem_for(exc) from exc
    return report_response(await context.verifier.verify(presented))


def report_response(report: VerificationReport) -> JSONResponse:
    """The report encoded once, as it is: FastAPI would validate a `dict[str, Any]` return against its schema
    (which takes anything) and then encode it, on the path every public verification takes."""
    return JSONResponse(report_body(report))


@router.get(
    "/v1/verify",
    summary="Fetch the credential published at `url` (through the guarded fetcher) and report every check",
    responses={
        400: {"description": "The URL is refused (not https in production, a private address) or holds no credential"},
        502: {"description": "The URL could not be fetched"},
    },
    response_model=dict[str, Any],
)
async def verify_url(
    context: Context,
    url: Annotated[str, Query(description="https URL of a hosted credential: JSON, VC-JWT or a baked image")],
) -> JSONResponse:
    presented = await presented_from_url(context, url)
    return report_response(await context.verifier.verify(presented))


_VP_BODY = _vc_api_request(
    "verifiablePresentation",
    {"type": "object"},
    {"type": "object", "properties": {"challenge": {"type": "string"}, "domain": {"type": "string"}}},
)


class PresentationNotVerified(Problem):
    status, title, slug = 422, "Presentation Not Verified", "presentation-not-verified"


@router.post(
    "/presentations/verify",
    summary="W3C VC-API: verify {verifiablePresentation, options: {challenge, domain}}",
    openapi_extra=_VP_BODY,
    responses={422: {"description": "The presentation or a credential in it is not verified; `errors` say why"}},
)
async def vc_api_verify_presentation(request: Request, context: Context) -> dict[str, Any]:
    try:
        request_body, options = await _vc_api_body(request, context, "verifiablePresentation")
        presentation = parse_presentation(request_body["verifiablePresentation"])
    except UnreadableInput as exc:
        raise problem_for(exc) from exc
    result = await verify_presentation(presentation, options, context.verifier)
    errors = result.errors()
    body: dict[str, Any] = {
        "verified": result.verified,
        "presentationResult": {
            "verified": all(c.outcome is CheckOutcome.PASSED for c in result.checks),
            "checks": [c.id for c in result.checks if c.outcome is CheckOutcome.PASSED],
            "results": [
                {"id": c.id, "outcome": c.outcome.value, "code": c.code, "message": c.message} for c in result.checks
            ],
        },
        "credentialResults": [
            vc_api_result(r) if isinstance(r, VerificationReport) else {"verified": False, "errors": [r.message]}
            for r in result.credentials
        ],
        "errors": errors,
    }
    if not result.verified:
        reasons = "; ".join(error["message"] for error in errors[:3])
        raise PresentationNotVerified(f"the presentation is not verified: {reasons}", **body)
    return body


MISSING_CODES = {
    "verifiableCredential": "missing_verifiable_credential",
    "verifiablePresentation": "missing_verifiable_presentation",
}


async def _vc_api_body(request: Request, context: Context, required: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A VC-API request's JSON body and its `options` (UnreadableInput / BadRequest when it is not one)."""
    body = await read_limited(request, context.settings.max_body_bytes)
    if media_type(request) not in JSON_TYPES:
        raise UnreadableInput(
            f"the VC-API takes application/json: {{{required}, options}}",
            code="unsupported_media_type",
            unsupported_media_type=True,
        )
    request_body = parse_json(body)
    if not isinstance(request_body, dict) or required not in request_body:
        raise BadRequest(
            f"the body must be a JSON object with `{required}` (and optionally `options`)",
            code=MISSING_CODES[required],
        )
    options = request_body.get("options", {})
    if not isinstance(options, dict):
        raise BadRequest("`options` must be a JSON object", code="bad_options")
    return request_body, options


@router.post(
    "/credentials/verify",
    summary="W3C VC-API: verify {verifiableCredential, options}",
    openapi_extra=_VC_API_BODY,
    responses={422: {"description": "The credential is not verified (failed or incomplete); the report is included"}},
)
async def vc_api_verify(request: Request, context: Context) -> dict[str, Any]:
    try:
        request_body, _ = await _vc_api_body(request, context, "verifiableCredential")
        given = request_body["verifiableCredential"]
        if isinstance(given, str) and given.lstrip().startswith(("{", "[")):
            # A string is a VC-JWT; a credential serialised into a string is not a map (Data Integrity's parsing
            # error), however valid the JSON inside.
            raise UnreadableInput(
                "verifiableCredential must be a credential object, not JSON text in a string", code="not_an_object"
            )
        presented = presented_from_json({"verifiableCredential": given})
    except UnreadableInput as exc:
        raise problem_for(exc) from exc
    report = await context.verifier.verify(presented)
    result = vc_api_result(report)
    if not report.verified:
        raise CredentialNotVerified(_summary(report), **result)
    return result


def vc_api_result(report: VerificationReport) -> dict[str, Any]:
    """The VC-API VerificationResult (`checks` run and passed, `warnings`, `errors`) plus the full report."""
    errors = [
        {"check": c.id, "code": c.code, "message": c.message}
        for c in report.checks
        if c.severity is Severity.ERROR and c.outcome is not CheckOutcome.PASSED
    ]
    return {
        "verified": report.verified,
        "outcome": report.outcome.value,
        "checks": [c.id for c in report.checks if c.outcome is CheckOutcome.PASSED],
        "warnings": warnings_of(report),
        "errors": errors,
        "report": report_body(report),
    }


def _summary(report: VerificationReport) -> str:
    reasons = [
        c.message for c in report.checks if c.severity is Severity.ERROR and c.outcome is not CheckOutcome.PASSED
    ]
    return f"the credential is {report.outcome.value}: " + "; ".join(reasons[:3])
