"""The coaching service's settings: `REXVET_COACHING_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, load_settings


class CoachingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_COACHING_", extra="ignore")

    service_name: str = "coaching"
    port: int = 8002
    consumer_group: str = "coaching"


def load_coaching_settings() -> CoachingSettings:
    return load_settings(CoachingSettings)
