"""The issuer service's settings: `REXVET_ISSUER_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, load_settings


class IssuerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_ISSUER_", extra="ignore")

    service_name: str = "issuer"
    port: int = 8003
    consumer_group: str = "issuer"
    access_token_ttl_seconds: int = Field(default=3600, ge=60, le=86_400)
    dev_token_ttl_seconds: int = Field(default=8 * 3600, ge=60, le=7 * 86_400)
    token_key_dir: Path | None = None  # default: <data dir>/issuer/token-keys

    @property
    def token_keys_path(self) -> Path:
        return self.token_key_dir or self.service_dir / "token-keys"


def load_issuer_settings() -> IssuerSettings:
    return load_settings(IssuerSettings)
