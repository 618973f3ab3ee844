"""The verifier service's settings: `REXVET_VERIFIER_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, load_settings

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024


class VerifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_VERIFIER_", extra="ignore")

    service_name: str = "verifier"
    port: int = Field(8004, ge=1, le=65535, description="Port the verifier service listens on")
    consumer_group: str = Field("verifier", description="Its consumer group on the bus")
    max_body_bytes: int = Field(
        DEFAULT_MAX_BODY_BYTES,
        ge=1024,
        le=64 * 1024 * 1024,
        description="Largest request body /v1/verify, /credentials/verify and the page accept (a baked image "
        "included); larger bodies get 413",
    )
    allow_loopback_fetch: bool | None = Field(
        None,
        description="Let the guarded fetcher reach loopback addresses (127.0.0.0/8, ::1) over http, as the "
        "issuer of `make run` on 127.0.0.1:8003 needs; unset: yes in development, no in production, where "
        "true is refused",
    )

    @property
    def loopback_fetch_allowed(self) -> bool:
        if self.allow_loopback_fetch is None:
            return not self.platform.production
        return self.allow_loopback_fetch

    def production_problems(self) -> list[str]:
        # A public verifier that fetches loopback URLs named by a credential would probe its own host (SSRF).
        return ["REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH"] if self.allow_loopback_fetch else []


def load_verifier_settings() -> VerifierSettings:
    return load_settings(VerifierSettings)
