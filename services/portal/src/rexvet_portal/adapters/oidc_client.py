"""The portal as an OpenID Connect relying party: authorization code with PKCE (S256), through Authlib's client.

The provider is found through its discovery document (`REXVET_AUTH_ISSUER`'s, or `REXVET_PORTAL_OIDC_DISCOVERY_URL`),
so the development provider of `make run` and an institution's Keycloak, Entra ID or Google Workspace are the same
code. The ID token is verified here (signature against the provider's JWKS, `iss`, `aud`, `exp`, then the nonce).
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc import jwk, jws, jwt
from joserfc.errors import JoseError

with warnings.catch_warnings():
    # Authlib 1.9 prefers the `httpx2` package and warns when it falls back to httpx, which the platform pins.
    # (Its deprecate module adds an "always" filter on import, hence imported first and overridden here.)
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

from rexvet_common.auth.jwks import parse_jwks, pick_key
from rexvet_portal.application.caller_language import CALLER_LANGUAGE
from rexvet_portal.application.errors import ServiceDown, SignInFailed, SignInNeeded
from rexvet_portal.application.ports import ProviderTokens
from rexvet_portal.domain.session import Tokens

DISCOVERY_CACHE_SECONDS = 300.0
DEFAULT_TOKEN_SECONDS = 300  # when a provider does not say expires_in


class OidcClient:
    def __init__(
        self,
        *,
        discovery_url: str,
        client_id: str,
        client_secret: str | None,
        redirect_uri: str,
        scopes: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout_seconds: float = 10.0,
        leeway_seconds: int = 30,
    ) -> None:
        self.discovery_url = discovery_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scopes = scopes
        self.transport = transport
        self.timeout_seconds = timeout_seconds
        self.leeway_seconds = leeway_seconds
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: dict[str | None, jwk.Key] | None = None

    def _oauth(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_basic" if self.client_secret else "none",
            scope=self.scopes,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            transport=self.transport,
            timeout=self.timeout_seconds,
            trust_env=False,
        )

    async def _get(self, url: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(
                transport=self.transport, timeout=self.timeout_seconds, trust_env=False
            ) as http:
                response = await http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise ServiceDown("sign-in", f"the OpenID provider at {url} does not answer") from exc
        if response.status_code != 200:
            raise ServiceDown("sign-in", f"the OpenID provider answered {response.status_code} for {url}")
        body = response.json()
        if not isinstance(body, dict):
            raise ServiceDown("sign-in", f"{url} is not a JSON object")
        return body

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._metadata_at > DISCOVERY_CACHE_SECONDS:
            self._metadata = await self._get(self.discovery_url)
            self._metadata_at = time.monotonic()
        return self._metadata

    async def issuer(self) -> str:
        return str((await self.metadata())["issuer"])

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str:
        metadata = await self.metadata()
        if "authorization_endpoint" not in metadata:
            raise ServiceDown("sign-in", "the OpenID provider offers no authorization_endpoint")
        # the page's language, for the provider's sign-in page (OpenID Connect Core §3.1.2.1 `ui_locales`)
        language = CALLER_LANGUAGE.get()
        extra = {"ui_locales": language} if language else {}
        async with self._oauth() as oauth:
            url, _ = oauth.create_authorization_url(
                metadata["authorization_endpoint"], state=state, code_verifier=code_verifier, nonce=nonce, **extra
            )
        return str(url)

    async def exchange(self, *, code: str, code_verifier: str, nonce: str) -> ProviderTokens:
        metadata = await self.metadata()
        try:
            async with self._oauth() as oauth:
                token = await oauth.fetch_token(
                    metadata["token_endpoint"], grant_type="authorization_code", code=code, code_verifier=code_verifier
                )
        except OAuthError as exc:
            raise SignInFailed(f"the provider refused the code: {exc.description or exc.error}") from exc
        except httpx.HTTPError as exc:
            raise ServiceDown("sign-in", "the OpenID provider's token endpoint does not answer") from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise SignInFailed("the provider sent no ID token")
        claims = await self.verify_id_token(id_token, metadata)
        if claims.get("nonce") != nonce:
            raise SignInFailed("the ID token's nonce is not the one this sign-in sent")
        return ProviderTokens(tokens=_tokens(token, None), id_claims=claims)

    async def verify_id_token(self, id_token: str, metadata: dict[str, Any]) -> dict[str, Any]:
        allowed = metadata.get("id_token_signing_alg_values_supported", ["RS256"])
        try:
            header = jws.extract_compact(id_token.encode()).headers()
            algorithm, kid = header.get("alg"), header.get("kid")
            if algorithm not in allowed or (kid is not None and not isinstance(kid, str)):
                raise SignInFailed(f"the ID token is signed with {algorithm!r}; the provider announces {allowed}")
            key = await self._key(kid, metadata)
            claims: dict[str, Any] = jwt.decode(id_token, key, algorithms=[str(algorithm)]).claims
            jwt.JWTClaimsRegistry(
                leeway=self.leeway_seconds,
                iss={"essential": True, "value": metadata["issuer"]},
                aud={"essential": True, "value": self.client_id},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
            ).validate(claims)
        except (JoseError, ValueError) as exc:
            raise SignInFailed(f"the ID token does not verify: {exc}") from exc
        return claims

    async def _key(self, kid: str | None, metadata: dict[str, Any]) -> jwk.Key:
        for attempt in range(2):
            if self._keys is None or attempt == 1:  # a new kid: the provider may have rotated its keys
                self._keys = parse_jwks(await self._get(metadata["jwks_uri"]))
            key = pick_key(self._keys, kid)
            if key is not None:
                return key
        raise SignInFailed(f"the ID token names a key ({kid!r}) the provider does not publish")

    async def refresh(self, refresh_token: str) -> Tokens:
        metadata = await self.metadata()
        try:
            async with self._oauth() as oauth:
                token = await oauth.refresh_token(metadata["token_endpoint"], refresh_token=refresh_token)
        except OAuthError as exc:
            raise SignInNeeded("sign-in", f"the provider refused the refresh token: {exc.description}") from exc
        except httpx.HTTPError as exc:
            raise ServiceDown("sign-in", "the OpenID provider's token endpoint does not answer") from exc
        return _tokens(token, refresh_token)


def _tokens(token: dict[str, Any], previous_refresh: str | None) -> Tokens:
    expires_in = token.get("expires_in")
    lifetime = float(expires_in) if isinstance(expires_in, int | float | str) and str(expires_in) else 0
    return Tokens(
        access_token=str(token["access_token"]),
        access_expires_at=time.time() + (lifetime or DEFAULT_TOKEN_SECONDS),
        # A provider that does not rotate refresh tokens sends none back: the old one stays valid.
        refresh_token=token.get("refresh_token") or previous_refresh,
    )
