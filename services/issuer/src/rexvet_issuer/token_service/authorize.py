"""`GET /authorize` and its form's `POST`: the development OpenID provider's sign-in (authorization code + PKCE).

The request is checked as RFC 6749 §4.1.2.1 says: an unknown client or a redirect URI that is not registered
exactly is answered here (a problem, never a redirect to an unchecked address); any other fault goes back to the
client's redirect URI as `error=...`. PKCE with S256 is required (RFC 9700 §2.1.1). The form is protected by a
double-submit token: a random value in an HttpOnly, SameSite=Strict cookie scoped to /authorize and the same value
in the form; another site can neither read the cookie nor make the browser send it. Refused in production.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rexvet_common.problems import BadRequest, Forbidden, Problem
from rexvet_issuer.token_service.api import TokenService, token_service_from
from rexvet_issuer.token_service.grants import CodeRequest
from rexvet_issuer.token_service.people import person_from_form
from rexvet_issuer.token_service.signin_page import render_signin_page, signin_language

router = APIRouter(tags=["token service"])

CSRF_COOKIE = "rexvet_signin_csrf"
CHALLENGE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # an S256 challenge: 32 bytes, base64url, unpadded
AUTHORIZATION_PARAMETERS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)
PAGE_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def page_headers(service: TokenService) -> dict[str, str]:
    """The page's headers; its CSP lets the form go to /authorize and (browsers apply form-action to the redirect
    that answers a form too) on to the registered redirect URIs' origins, nowhere else."""
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(uri)) for uri in service.redirect_uris})
    policy = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"form-action 'self' {' '.join(origins)}; frame-ancestors 'none'; base-uri 'none'"
    )
    return PAGE_HEADERS | {"Content-Security-Policy": policy}


class AuthorizationRedirect(Exception):
    """A fault reported to the (already checked) client: a redirect carrying `error` and the client's `state`."""

    def __init__(self, redirect_uri: str, error: str, description: str, state: str | None) -> None:
        super().__init__(description)
        self.redirect_uri, self.error, self.description, self.state = redirect_uri, error, description, state


@dataclass(frozen=True)
class AuthorizationRequest:
    parameters: dict[str, str]

    @property
    def code_request(self) -> CodeRequest:
        return CodeRequest(
            client_id=self.parameters["client_id"],
            redirect_uri=self.parameters["redirect_uri"],
            code_challenge=self.parameters["code_challenge"],
            nonce=self.parameters.get("nonce") or None,
            scope=self.parameters["scope"],
        )


def _refuse_in_production(service: TokenService) -> None:
    if not service.development:
        raise Forbidden(
            "the development sign-in is refused in production: people sign in through the institution's OpenID "
            "provider (set REXVET_AUTH_ISSUER and the portal's REXVET_PORTAL_OIDC_* settings to it)",
            slug="development-signin-refused",
        )


def check_authorization_request(service: TokenService, parameters: dict[str, str]) -> AuthorizationRequest:
    client_id = parameters.get("client_id", "")
    redirect_uri = parameters.get("redirect_uri", "")
    if client_id != service.relying_party_id:
        raise BadRequest(
            f"unknown client_id {client_id!r}; the development provider knows {service.relying_party_id!r}"
        )
    if redirect_uri not in service.redirect_uris:
        raise BadRequest(
            f"redirect_uri {redirect_uri!r} is not registered for {client_id!r}; registered: "
            f"{list(service.redirect_uris)} (set REXVET_ISSUER_OIDC_REDIRECT_URIS)"
        )
    state = parameters.get("state") or None

    def refuse(error: str, description: str) -> AuthorizationRedirect:
        return AuthorizationRedirect(redirect_uri, error, description, state)

    if parameters.get("response_type") != "code":
        raise refuse("unsupported_response_type", "response_type must be code")
    if "openid" not in parameters.get("scope", "").split():
        raise refuse("invalid_scope", "scope must include openid")
    if parameters.get("code_challenge_method") != "S256":
        raise refuse("invalid_request", "PKCE is required: send code_challenge_method=S256 and a code_challenge")
    if not CHALLENGE_PATTERN.match(parameters.get("code_challenge", "")):
        raise refuse("invalid_request", "code_challenge must be 43 base64url characters (S256 of the verifier)")
    return AuthorizationRequest({name: parameters[name] for name in AUTHORIZATION_PARAMETERS if name in parameters})


def _error_redirect(fault: AuthorizationRedirect, issuer: str) -> RedirectResponse:
    query = {"error": fault.error, "error_description": fault.description, "iss": issuer}
    if fault.state:
        query["state"] = fault.state
    return RedirectResponse(_with_query(fault.redirect_uri, query), status_code=303)


def _with_query(uri: str, query: dict[str, str]) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(query)


def _page(
    request: Request,
    service: TokenService,
    authorization: AuthorizationRequest,
    *,
    values: dict[str, str] | None = None,
    roles: list[str] | None = None,
    errors: dict[str, str] | None = None,
    ui_locales: str | None = None,
) -> HTMLResponse:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    language = signin_language(ui_locales, request.headers.get("accept-language"))
    html = render_signin_page(
        authorization=authorization.parameters,
        csrf_token=csrf,
        values=values or {"tenant": "omnia"},
        roles=roles if roles is not None else ["staff"],
        errors=errors or {},
        client_name=service.relying_party_id,
        language=language,
    )
    headers = page_headers(service) | {"Content-Language": language, "Vary": "Accept-Language"}
    response = HTMLResponse(html, status_code=422 if errors else 200, headers=headers)
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        httponly=True,
        samesite="strict",
        secure=service.issuer.startswith("https://"),
        path="/authorize",
    )
    return response


@router.get("/authorize", summary="OpenID Connect authorization endpoint: the development sign-in page")
async def authorize(request: Request) -> Response:
    service = token_service_from(request)
    _refuse_in_production(service)
    parameters = {name: value for name, value in request.query_params.items()}
    try:
        authorization = check_authorization_request(service, parameters)
    except AuthorizationRedirect as fault:
        return _error_redirect(fault, service.issuer)
    return _page(request, service, authorization, ui_locales=request.query_params.get("ui_locales"))


@router.post("/authorize", summary="The development sign-in form: issues a single-use authorization code")
async def sign_in(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "sign-in",
    tenant: Annotated[str, Form()] = "",
    sub: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    service = token_service_from(request)
    _refuse_in_production(service)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not csrf_token or not hmac.compare_digest(cookie, csrf_token):
        raise Problem(
            "the sign-in form's CSRF token is missing or does not match its cookie; open the sign-in page again",
            status=403,
            title="Forbidden",
            slug="csrf-token-invalid",
        )
    form = await request.form()
    parameters = {name: str(form[name]) for name in AUTHORIZATION_PARAMETERS if isinstance(form.get(name), str)}
    try:
        authorization = check_authorization_request(service, parameters)
        if action == "cancel":
            raise AuthorizationRedirect(
                authorization.parameters["redirect_uri"],
                "access_denied",
                "the person cancelled the sign-in",
                authorization.parameters.get("state"),
            )
    except AuthorizationRedirect as fault:
        return _error_redirect(fault, service.issuer)
    chosen = roles or []
    person, errors = person_from_form(tenant, sub, name, chosen)
    if person is None:
        values = {"tenant": tenant, "sub": sub, "name": name}
        ui_locales = form.get("ui_locales")
        return _page(
            request,
            service,
            authorization,
            values=values,
            roles=chosen,
            errors=errors,
            ui_locales=ui_locales if isinstance(ui_locales, str) else None,
        )
    code = await service.grants.issue_code(authorization.code_request, person)
    query = {"code": code, "iss": service.issuer}
    if authorization.parameters.get("state"):
        query["state"] = authorization.parameters["state"]
    response = RedirectResponse(_with_query(authorization.parameters["redirect_uri"], query), status_code=303)
    response.headers.update({"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
    response.delete_cookie(CSRF_COOKIE, path="/authorize")
    return response
