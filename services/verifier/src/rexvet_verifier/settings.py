"""The verifier service's settings: `REXVET_VERIFIER_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, load_settings


class VerifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_VERIFIER_", extra="ignore")

    service_name: str = "verifier"
    port: int = Field(8004, ge=1, le=65535, description="Port the verifier service listens on")
    consumer_group: str = Field("verifier", description="Its consumer group on the bus")


def load_verifier_settings() -> VerifierSettings:
    return load_settings(VerifierSettings)
