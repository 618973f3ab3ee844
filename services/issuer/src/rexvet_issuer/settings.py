"""The issuer service's settings: `REXVET_ISSUER_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AnyHttpUrl, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, is_placeholder, load_settings, service_scheme

# The portal of `make run` (REXVET_PORTAL_PORT's default); another address is set with REXVET_ISSUER_OIDC_REDIRECT_URIS.
DEFAULT_PORTAL_CALLBACK = "http://127.0.0.1:8000/auth/callback"


class IssuerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_ISSUER_", extra="ignore")

    service_name: str = "issuer"
    port: int = Field(8003, ge=1, le=65535, description="Port the issuer service listens on")
    consumer_group: str = Field("issuer", description="Its consumer group on the bus")
    access_token_ttl_seconds: int = Field(
        default=3600, ge=60, le=86_400, description="Lifetime of tokens from /oauth/token"
    )
    dev_token_ttl_seconds: int = Field(
        default=8 * 3600, ge=60, le=7 * 86_400, description="Lifetime of `rexvet auth dev-token` tokens"
    )
    signin_code_ttl_seconds: int = Field(
        default=120, ge=10, le=600, description="Lifetime of an authorization code from the development sign-in"
    )
    refresh_token_ttl_seconds: int = Field(
        default=8 * 3600,
        ge=300,
        le=30 * 86_400,
        description="Lifetime of a refresh token from the authorization-code grant (each use replaces it)",
    )
    oidc_client_id: str = Field(
        "rexvet-portal",
        min_length=1,
        max_length=100,
        description="The one relying party of the development OpenID provider: the portal's client id",
    )
    oidc_redirect_uris: str | None = Field(
        None,
        description="Where the development sign-in may send its codes back, comma-separated exact URLs; "
        "default http://127.0.0.1:8000/auth/callback (the portal of `make run`)",
    )
    token_key_dir: Path | None = Field(
        None,
        description="Token signing keys (P-256 PEM files named by kid); default <data dir>/issuer/token-keys; "
        "generated on first start in development only",
    )

    public_url: str | None = Field(
        None,
        description="Its public base URL, from which issuer profile, credential and status list URLs are built "
        "(issuer ids: keep it stable); default http://<host>:<port> (https:// when the services serve TLS "
        "themselves, REXVET_TLS_CERT_FILE); production requires https",
    )
    key_encryption_key: SecretStr | None = Field(
        None,
        description="Encrypts the issuers' Ed25519 signing keys at rest (secret: 32 bytes, base64url); development "
        "generates one under the data directory, production requires it",
    )
    previous_key_encryption_keys: SecretStr | None = Field(
        None,
        description="Former key-encryption keys, comma-separated (secret): keys sealed under them are re-sealed "
        "under REXVET_ISSUER_KEY_ENCRYPTION_KEY at start; remove them once a start has succeeded",
    )
    status_list_ttl_seconds: int = Field(
        default=300, ge=0, le=86_400, description="How long verifiers may cache a status list (its `ttl`)"
    )
    # The OB 3.0 Service Description Document (GET /ims/ob/v3p0/discovery) must name these; they are the
    # deployment's own documents and OAuth endpoints, so nothing here guesses them.
    ob_privacy_policy_url: AnyHttpUrl | None = Field(
        None, description="The privacy policy the OB 3.0 API's discovery document links to; needed to serve it"
    )
    ob_terms_of_service_url: AnyHttpUrl | None = Field(
        None, description="The terms of service the OB 3.0 discovery document links to; needed to serve it"
    )
    ob_client_registration_url: AnyHttpUrl | None = Field(
        None, description="Where an OB 3.0 client (wallet, host) registers for OAuth; needed to serve discovery"
    )
    ob_authorization_url: AnyHttpUrl | None = Field(
        None,
        description="The OAuth authorization endpoint (authorization code grant) of the provider whose tokens the "
        "platform trusts; needed to serve OB 3.0 discovery",
    )
    ob_token_url: AnyHttpUrl | None = Field(
        None, description="That provider's token endpoint; default <REXVET_AUTH_ISSUER>/oauth/token"
    )

    # Putting a badge into a wallet (OpenID4VCI's pre-authorized code flow, the VC-API exchange): short-lived
    # secrets, since an offer's QR code can be photographed over a shoulder.
    wallet_offer_ttl_seconds: int = Field(
        default=300,
        ge=30,
        le=900,
        description="How long a wallet offer (OpenID4VCI pre-authorized code, VC-API exchange) can be redeemed",
    )
    wallet_token_ttl_seconds: int = Field(
        default=300, ge=30, le=3600, description="Lifetime of the access token a wallet gets for its one credential"
    )
    wallet_nonce_ttl_seconds: int = Field(
        default=300, ge=30, le=3600, description="Lifetime of a c_nonce (and of a key proof's iat)"
    )
    wallet_requests_per_minute: int = Field(
        default=30,
        ge=1,
        le=100_000,
        description="Requests per minute one client may make to the wallet token, nonce and exchange endpoints "
        "(then 429 with Retry-After)",
    )

    @property
    def token_keys_path(self) -> Path:
        return self.token_key_dir or self.service_dir / "token-keys"

    @property
    def redirect_uris(self) -> tuple[str, ...]:
        listed = [uri.strip() for uri in (self.oidc_redirect_uris or "").split(",") if uri.strip()]
        return tuple(listed) or (DEFAULT_PORTAL_CALLBACK,)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"{service_scheme(os.environ)}://{self.host}:{self.port}").rstrip("/")

    def production_problems(self) -> list[str]:
        problems = []
        if self.key_encryption_key is None or is_placeholder(self.key_encryption_key):
            problems.append("REXVET_ISSUER_KEY_ENCRYPTION_KEY")
        # Issuer ids, keys and status lists live under this URL; verifiers fetch only https in production.
        if self.public_url is None or not self.public_url.startswith("https://"):
            problems.append("REXVET_ISSUER_PUBLIC_URL (an https URL)")
        return problems


def load_issuer_settings() -> IssuerSettings:
    return load_settings(IssuerSettings)
