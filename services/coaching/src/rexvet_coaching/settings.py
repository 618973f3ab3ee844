"""The coaching service's settings: `REXVET_COACHING_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, load_settings


class CoachingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_COACHING_", extra="ignore")

    service_name: str = "coaching"
    port: int = 8002
    consumer_group: str = "coaching"
    # The public address Achievement ids are built from (they must dereference to the badge's JSON).
    public_url: str | None = None  # default: http://<host>:<port>
    # A framework file to publish as the first version instead of the shipped REX VET default.
    framework_file: Path | None = None

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


def load_coaching_settings() -> CoachingSettings:
    return load_settings(CoachingSettings)
