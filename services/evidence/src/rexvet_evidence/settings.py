"""The evidence service's settings: `REXVET_EVIDENCE_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from rexvet_common.backend_registry import Backend, backend
from rexvet_common.settings import ServiceSettings, is_placeholder, load_settings


class EvidenceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_EVIDENCE_", extra="ignore")

    uses_blobs: ClassVar[bool] = True  # evidence files

    service_name: str = "evidence"
    port: int = Field(8001, ge=1, le=65535, description="Port the evidence service listens on")
    consumer_group: str = Field("evidence", description="Its consumer group on the bus")
    public_url: str | None = Field(None, description="Its public base URL; default http://<host>:<port>")
    blob_url_secret: SecretStr | None = Field(
        None,
        description="Signs the local blob store's download URLs (secret); development generates one under "
        "the data directory, production requires it when BLOBS=local",
    )
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1, description="Largest evidence file accepted")
    upload_idle_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="An evidence upload that sends no byte for this long is cut (408) and nothing of it is kept",
    )
    download_url_ttl_seconds: int = Field(
        default=300, ge=10, le=7 * 24 * 3600, description="How long an evidence file's download URL stays valid"
    )

    def blobs_backend(self) -> Backend[Any]:
        return backend("blobs", self.platform.blobs)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def production_problems(self) -> list[str]:
        if not self.blobs_backend().signs_download_links:
            return []
        if self.blob_url_secret is None or is_placeholder(self.blob_url_secret):
            return ["REXVET_EVIDENCE_BLOB_URL_SECRET"]
        return []


def load_evidence_settings() -> EvidenceSettings:
    return load_settings(EvidenceSettings)
