"""HTTP side of the token service: `POST /oauth/token`, the discovery document and `/jwks.json`.

Grants: client credentials (institutions' systems) and, in development only, the OpenID Connect authorization code
grant with PKCE and the refresh token grant of people signed in through the development sign-in (authorize.py).

Token endpoint errors carry RFC 6749's `error` / `error_description` members (what OAuth clients read) inside an
RFC 9457 problem details body (what the rest of the platform answers).
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from rexvet_common.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE
from rexvet_issuer.token_service.clients import ClientRegistry
from rexvet_issuer.token_service.grants import Grant, GrantRefused, SignInGrants
from rexvet_issuer.token_service.keys import ALGORITHM, SigningKeyRing
from rexvet_issuer.token_service.people import scopes_for
from rexvet_issuer.token_service.tokens import mint_access_token, mint_id_token

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
    grants: SignInGrants
    # The people's sign-in (authorization code, refresh token) exists in development only.
    development: bool = False
    relying_party_id: str = "rexvet-portal"
    redirect_uris: tuple[str, ...] = field(default_factory=tuple)

    def discovery(self) -> dict[str, Any]:
        base = self.issuer.rstrip("/")
        grant_types = ["client_credentials"]
        document: dict[str, Any] = {
            "issuer": self.issuer,
            "token_endpoint": f"{base}/oauth/token",
            "jwks_uri": f"{base}/jwks.json",
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "access_token_signing_alg_values_supported": [ALGORITHM],
            "scopes_supported": ["openid", "profile"],
            "claims_supported": ["sub", "name", "tenant", "roles", "scope", "nonce", "iss", "aud", "exp", "iat"],
        }
        if self.development:
            grant_types += ["authorization_code", "refresh_token"]
            document |= {
                "authorization_endpoint": f"{base}/authorize",
                "code_challenge_methods_supported": ["S256"],
                "response_modes_supported": ["query"],
                "authorization_response_iss_parameter_supported": True,
            }
            document["token_endpoint_auth_methods_supported"] = [
                *document["token_endpoint_auth_methods_supported"],
                "none",
            ]
        document["grant_types_supported"] = grant_types
        return document


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
    people_grants = ("authorization_code", "refresh_token")
    if service.development and grant_type in people_grants:
        return await _person_grant(request, service, fields, grant_type)
    if grant_type != "client_credentials":
        offered = ["client_credentials", *(people_grants if service.development else ())]
        raise OAuthError("unsupported_grant_type", f"grant_type must be one of {offered}, got {grant_type!r}")
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


async def _person_grant(
    request: Request, service: TokenService, fields: dict[str, str], grant_type: str | None
) -> JSONResponse:
    """The authorization code (RFC 6749 §4.1.3, RFC 7636 §4.6) and refresh token (§6) grants of a public client."""
    if request.headers.get("authorization") or "client_secret" in fields:
        raise OAuthError("invalid_client", f"{service.relying_party_id} is a public client: send only client_id")
    client_id = fields.get("client_id", "")
    if client_id != service.relying_party_id:
        raise OAuthError("invalid_client", f"unknown client_id {client_id!r}", status=401)
    try:
        if grant_type == "authorization_code":
            missing = [name for name in ("code", "redirect_uri", "code_verifier") if not fields.get(name)]
            if missing:
                raise OAuthError("invalid_request", f"the authorization_code grant needs {missing}")
            grant = await service.grants.redeem_code(
                fields["code"],
                client_id=client_id,
                redirect_uri=fields["redirect_uri"],
                code_verifier=fields["code_verifier"],
            )
            refresh_token = await service.grants.issue_refresh_token(grant, from_code=fields["code"])
        else:
            if not fields.get("refresh_token"):
                raise OAuthError("invalid_request", "the refresh_token grant needs refresh_token")
            grant = await service.grants.redeem_refresh_token(fields["refresh_token"], client_id=client_id)
            refresh_token = await service.grants.issue_refresh_token(grant)
    except GrantRefused as refused:
        raise OAuthError("invalid_grant", str(refused)) from refused
    return JSONResponse(_person_tokens(service, grant, refresh_token), headers=NO_STORE)


def _person_tokens(service: TokenService, grant: Grant, refresh_token: str) -> dict[str, Any]:
    key = service.keys.ensure(allow_create=service.allow_key_creation)
    person = grant.person
    granted = scopes_for(person.roles)
    now = time.time()
    access_token = mint_access_token(
        key,
        issuer=service.issuer,
        audience=service.audience,
        sub=person.sub,
        tenant=person.tenant,
        roles=person.roles,
        scopes=granted,
        ttl_seconds=service.ttl_seconds,
        # Marked like `rexvet auth dev-token`'s tokens: a production service refuses them even if it trusted us.
        development=True,
        extra_claims={"client_id": grant.client_id, "name": person.name},
        now=now,
    )
    id_token = mint_id_token(
        key,
        issuer=service.issuer,
        client_id=grant.client_id,
        claims=person.claims(),
        nonce=grant.nonce,
        auth_time=grant.auth_time,
        ttl_seconds=service.ttl_seconds,
        now=now,
    )
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": service.ttl_seconds,
        "refresh_token": refresh_token,
        "id_token": id_token,
        "scope": " ".join([*grant.scope.split(), *granted]),
    }


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
