"""The portal's settings: `REXVET_PORTAL_*` beside the platform's `REXVET_*`.

The OpenID provider is the platform's `REXVET_AUTH_ISSUER` (the issuer's development provider in `make run`); the
portal's client registration there (client id, secret, redirect URI `<public URL>/auth/callback`) is configuration.
"""

from __future__ import annotations

import os

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, is_placeholder, load_settings

# The evidence service's own default of REXVET_EVIDENCE_MAX_UPLOAD_BYTES (the portal does not import that service).
EVIDENCE_DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024


class PortalSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_PORTAL_", extra="ignore")

    service_name: str = "portal"
    port: int = Field(8000, ge=1, le=65535, description="Port the portal listens on")
    public_url: str | None = Field(
        None,
        description="Where people reach the portal (its sign-in callback is <public URL>/auth/callback); "
        "default http://<host>:<port>; production requires https",
    )
    coaching_url: str = Field("http://127.0.0.1:8002", description="Base URL of the coaching service's API")
    issuer_url: str = Field("http://127.0.0.1:8003", description="Base URL of the issuer service's API")
    evidence_url: str = Field("http://127.0.0.1:8001", description="Base URL of the evidence service's API")
    evidence_max_upload_bytes: int | None = Field(
        None,
        ge=1,
        description="The largest evidence file the upload form announces and passes on; unset: the evidence "
        "service's REXVET_EVIDENCE_MAX_UPLOAD_BYTES when set here too, else its default (25 MiB)",
    )
    verifier_url: str = Field(
        "http://127.0.0.1:8004", description="Public base URL of the verifier, where people check a badge"
    )
    service_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="How long the portal waits for another service before showing a 503 page"
    )
    oidc_discovery_url: str | None = Field(
        None,
        description="The OpenID provider's discovery document; default "
        "<REXVET_AUTH_ISSUER>/.well-known/openid-configuration",
    )
    oidc_client_id: str = Field("rexvet-portal", min_length=1, description="The portal's client id at the provider")
    oidc_client_secret: SecretStr | None = Field(
        None,
        description="The portal's client secret (secret), for providers that register it as a confidential client; "
        "unset: a public client (PKCE only), as with the development provider",
    )
    oidc_scopes: str = Field("openid profile", description="Scopes the portal asks the provider for")
    oidc_claim_name: str = Field("name", description="ID token claim holding the person's display name")
    session_ttl_seconds: int = Field(
        8 * 3600, ge=300, le=7 * 86_400, description="A session ends this long after sign-in, whatever happens"
    )
    session_idle_seconds: int = Field(3600, ge=60, le=86_400, description="A session ends when unused this long")
    cookie_secure: bool | None = Field(
        None, description="Mark the session cookie Secure; unset: yes in production, no in development"
    )

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def callback_url(self) -> str:
        return self.base_url + "/auth/callback"

    @property
    def discovery_url(self) -> str:
        return self.oidc_discovery_url or self.platform.auth_issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def max_upload_bytes(self) -> int:
        """What the evidence service accepts: said on the page before an upload starts, so nobody waits for a 413."""
        if self.evidence_max_upload_bytes is not None:
            return self.evidence_max_upload_bytes
        shared = os.environ.get("REXVET_EVIDENCE_MAX_UPLOAD_BYTES", "").strip()
        return int(shared) if shared.isdigit() and int(shared) > 0 else EVIDENCE_DEFAULT_MAX_UPLOAD_BYTES

    @property
    def secure_cookies(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else self.platform.production

    def production_problems(self) -> list[str]:
        problems = []
        if self.public_url is None or not self.public_url.startswith("https://"):
            problems.append("REXVET_PORTAL_PUBLIC_URL (an https URL)")
        if self.cookie_secure is False:
            problems.append("REXVET_PORTAL_COOKIE_SECURE (must not be false)")
        if self.oidc_client_secret is not None and is_placeholder(self.oidc_client_secret):
            problems.append("REXVET_PORTAL_OIDC_CLIENT_SECRET")
        return problems


def load_portal_settings() -> PortalSettings:
    return load_settings(PortalSettings)
