"""HTTP side of the token service: `POST /oauth/token`, the discovery document and `/jwks.json`.

Token endpoint errors carry RFC 6749's `error` / `error_description` members (what OAuth clients read) inside an
RFC 9457 problem details body (what the rest of the platform answers).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from rexvet_common.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE
from rexvet_issuer.token_service.clients import ClientRegistry
from rexvet_issuer.token_service.keys import ALGORITHM, SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token

router = APIRouter(tags=["token service"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass
class TokenService:
    registry: ClientRegistry
    keys: SigningKeyRing
    issuer: str
    audience: str
    ttl_seconds: int
    allow_key_creation: bool

    def discovery(self) -> dict[str, Any]:
        base = self.issuer.rstrip("/")
        return {
            "issuer": self.issuer,
            "token_endpoint": f"{base}/oauth/token",
            "jwks_uri": f"{base}/jwks.json",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "response_types_supported": ["token"],
            "access_token_signing_alg_values_supported": [ALGORITHM],
            "claims_supported": ["sub", "tenant", "roles", "scope", "iss", "aud", "exp", "iat"],
        }


class OAuthError(Exception):
    def __init__(self, error: str, description: str, *, status: int = 400, basic_challenge: bool = False) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.basic_challenge = basic_challenge

    def response(self, request: Request) -> JSONResponse:
        headers = dict(NO_STORE)
        if self.basic_challenge:
            headers["WWW-Authenticate"] = 'Basic realm="rexvet"'
        body = {
            "type": PROBLEM_TYPE_BASE + "oauth-" + self.error.replace("_", "-"),
            "title": self.error,
            "status": self.status,
            "detail": self.description,
            "instance": request.url.path,
            "error": self.error,
            "error_description": self.description,
        }
        return JSONResponse(body, status_code=self.status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def token_service_from(request: Request) -> TokenService:
    service = getattr(request.app.state.runtime.context, "token_service", None)
    assert isinstance(service, TokenService)
    return service


@router.get("/.well-known/openid-configuration", summary="Discovery document of the embedded token service")
async def openid_configuration(request: Request) -> dict[str, Any]:
    return token_service_from(request).discovery()


@router.get("/.well-known/oauth-authorization-server", summary="The same metadata under RFC 8414's name")
async def oauth_metadata(request: Request) -> dict[str, Any]:
    return token_service_from(request).discovery()


@router.get("/jwks.json", summary="Public keys that verify the tokens this issuer signs")
async def jwks(request: Request) -> JSONResponse:
    return JSONResponse(token_service_from(request).keys.jwks(), headers={"Cache-Control": "max-age=300"})


@router.post(
    "/oauth/token",
    summary="Client-credentials grant (RFC 6749 §4.4), form-encoded, client_secret_basic or client_secret_post",
)
async def token(request: Request) -> JSONResponse:
    try:
        return await _issue(request, token_service_from(request))
    except OAuthError as error:
        return error.response(request)


async def _issue(request: Request, service: TokenService) -> JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request", "send the parameters as application/x-www-form-urlencoded")
    form = await request.form()
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    grant_type = fields.get("grant_type")
    if grant_type != "client_credentials":
        raise OAuthError("unsupported_grant_type", f"grant_type must be client_credentials, got {grant_type!r}")
    client_id, secret, used_basic = _client_credentials(request, fields)
    client = await service.registry.authenticate(client_id, secret)
    if client is None:
        raise OAuthError("invalid_client", "unknown client or wrong secret", status=401, basic_challenge=used_basic)
    requested = fields.get("scope", "").split()
    granted = sorted(set(requested)) if requested else sorted(client.scopes)
    refused = sorted(set(granted) - set(client.scopes))
    if refused:
        raise OAuthError("invalid_scope", f"this client may not request the scopes {refused}")
    key = service.keys.ensure(allow_create=service.allow_key_creation)
    access_token = mint_access_token(
        key,
        issuer=service.issuer,
        audience=service.audience,
        sub=client.client_id,
        tenant=client.tenant,
        roles=client.roles,
        scopes=granted,
        ttl_seconds=service.ttl_seconds,
        extra_claims={"client_id": client.client_id},
    )
    body = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": service.ttl_seconds,
        "scope": " ".join(granted),
    }
    return JSONResponse(body, headers=NO_STORE)


def _client_credentials(request: Request, fields: dict[str, str]) -> tuple[str, str, bool]:
    """(client_id, secret, came by Basic auth); exactly one authentication method is allowed (RFC 6749 §2.3)."""
    authorization = request.headers.get("authorization")
    in_body = "client_secret" in fields
    if authorization and in_body:
        raise OAuthError("invalid_request", "use either HTTP Basic or client_secret in the body, not both")
    if authorization:
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            raise OAuthError("invalid_client", "use HTTP Basic client authentication", status=401, basic_challenge=True)
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise OAuthError("invalid_client", "malformed Basic credentials", status=401, basic_challenge=True) from exc
        raw_id, separator, raw_secret = decoded.partition(":")
        if not separator:
            raise OAuthError("invalid_client", "malformed Basic credentials", status=401, basic_challenge=True)
        # RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
        return unquote_plus(raw_id), unquote_plus(raw_secret), True
    client_id = fields.get("client_id")
    secret = fields.get("client_secret")
    if not client_id or not secret:
        raise OAuthError("invalid_client", "authenticate with HTTP Basic or client_id and client_secret", status=401)
    return client_id, secret, False
