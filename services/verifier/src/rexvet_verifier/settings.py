"""The verifier service's settings: `REXVET_VERIFIER_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, load_settings


class VerifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_VERIFIER_", extra="ignore")

    service_name: str = "verifier"
    port: int = 8004
    consumer_group: str = "verifier"


def load_verifier_settings() -> VerifierSettings:
    return load_settings(VerifierSettings)
