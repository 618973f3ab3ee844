"""The evidence service's settings: `REXVET_EVIDENCE_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import BlobsBackend, ServiceSettings, is_placeholder, load_settings


class EvidenceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_EVIDENCE_", extra="ignore")

    service_name: str = "evidence"
    port: int = 8001
    consumer_group: str = "evidence"
    public_url: str | None = None  # default: http://<host>:<port>
    # Signs the local blob store's download URLs; development generates one under the data directory.
    blob_url_secret: SecretStr | None = None
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def production_problems(self) -> list[str]:
        if self.platform.blobs is not BlobsBackend.LOCAL:
            return []
        if self.blob_url_secret is None or is_placeholder(self.blob_url_secret):
            return ["REXVET_EVIDENCE_BLOB_URL_SECRET"]
        return []


def load_evidence_settings() -> EvidenceSettings:
    return load_settings(EvidenceSettings)
