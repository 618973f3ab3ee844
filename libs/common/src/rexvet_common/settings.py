"""Settings shared by every service (prefix `REXVET_`) and the base of each service's own (`REXVET_<SERVICE>_`).

The platform settings choose one registered backend per port (`rexvet_common.backend_registry`); the chosen
backend's own settings are read then, and choosing one without them fails at start with a message that names the
variables to set. `REXVET_ENV=production` also refuses placeholder secrets.
Nothing here reads the environment at import time: `load_settings()` does, from `bootstrap()`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rexvet_common.backend_registry import Backend, BackendSettings, SettingsRefused, backend, backend_names
from rexvet_common.errors import ConfigurationError

PLATFORM_PREFIX = "REXVET_"

# Where the issuer service listens unless REXVET_ISSUER_HOST / REXVET_ISSUER_PORT say otherwise (its settings class
# lives in the issuer package; the platform needs only these two defaults to know whose tokens to expect).
ISSUER_DEFAULT_HOST = "127.0.0.1"
ISSUER_DEFAULT_PORT = 8003

# Values that say "nobody chose this secret yet"; production refuses them (case-insensitive, also as substrings
# for the longer marker words).
PLACEHOLDER_SECRETS = frozenset({"", "secret", "password", "admin", "minioadmin", "test", "dev", "development"})
PLACEHOLDER_MARKERS = ("changeme", "change-me", "change_me", "placeholder", "example", "insecure")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


class PlatformSettings(BaseSettings):
    """What every service process shares: environment, backends, telemetry and how tokens are verified."""

    model_config = SettingsConfigDict(env_prefix=PLATFORM_PREFIX, extra="ignore")

    env: Environment = Field(
        Environment.DEVELOPMENT,
        description="development (make run) or production (refuses placeholder secrets and development tokens)",
    )
    data_dir: Path = Field(Path("var"), description="Where the embedded backends and generated dev keys live")

    # Each selector names a registered backend (rexvet_common.backend_registry); the chosen backend's own settings
    # are read when it is chosen (`load_settings`), under its own prefix.
    bus: str = Field("embedded", description="Event bus: a registered backend, embedded (SQLite event log) or kafka")
    documents: str = Field("sqlite", description="Document store: a registered backend, sqlite or mongo")
    blobs: str = Field("local", description="Blob store: a registered backend, local (a directory) or s3")

    http_header_timeout_seconds: float = Field(
        10.0, gt=0, le=300, description="A connection whose request headers take longer than this is closed"
    )
    http_keep_alive_seconds: float = Field(
        5.0, gt=0, le=300, description="An idle connection between requests is closed after this long"
    )
    http_max_header_bytes: int = Field(
        64 * 1024, ge=8 * 1024, le=1024 * 1024, description="Largest request line and headers a connection may send"
    )
    tls_cert_file: Path | None = Field(
        None,
        description="PEM certificate (chain) each service serves https with, itself; unset: plain http (behind a TLS "
        "proxy). Needs TLS_KEY_FILE",
    )
    tls_key_file: Path | None = Field(
        None, description="PEM private key of TLS_CERT_FILE (secret: keep it readable only by the services)"
    )

    otlp_endpoint: str | None = Field(None, description="OTLP/HTTP collector base URL; unset: no export")
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_format: LogFormat = Field(LogFormat.JSON, description="json (one object per line, with trace ids) or text")

    auth_issuer: str = Field(
        f"http://{ISSUER_DEFAULT_HOST}:{ISSUER_DEFAULT_PORT}",
        description="The `iss` every token must carry; unset: the issuer service's own address, "
        "http://<REXVET_ISSUER_HOST>:<REXVET_ISSUER_PORT>, whose token service signs the tokens",
    )
    auth_jwks_url: str | None = Field(None, description="Where the issuer's keys are; default <issuer>/jwks.json")
    auth_jwks_max_stale_seconds: int = Field(
        6 * 3600,
        ge=0,
        le=7 * 24 * 3600,
        description="While the issuer is unreachable, tokens are checked with the last key set fetched (kept in "
        "the document store, so also after a restart) for at most this long after that fetch; then refused with 503",
    )
    auth_audience: str = Field("rexvet", description="The `aud` every token must carry")
    auth_algorithms: str = Field("ES256,RS256,EdDSA", description="Accepted token signature algorithms")
    auth_leeway_seconds: int = Field(default=30, ge=0, description="Clock skew allowed on exp/nbf/iat")
    auth_claim_sub: str = Field("sub", description="Claim holding the person's or system's id")
    auth_claim_tenant: str = Field("tenant", description="Claim holding the institution id")
    auth_claim_roles: str = Field("roles", description="Claim holding the roles (array or space-separated)")
    auth_claim_scope: str = Field("scope", description="Claim holding the scopes (space-separated or array)")

    @model_validator(mode="before")
    @classmethod
    def _issuer_follows_its_port(cls, data: Any) -> Any:
        # Every process (the services, the CLI minting tokens) must expect the issuer that actually runs: with
        # REXVET_ISSUER_PORT=8303 exported, tokens are signed for http://127.0.0.1:8303 and checked against it.
        if isinstance(data, dict) and data.get("auth_issuer") is None:
            return {**data, "auth_issuer": default_auth_issuer(os.environ)}
        return data

    @field_validator("bus", "documents", "blobs")
    @classmethod
    def _registered(cls, value: str, info: ValidationInfo) -> str:
        names = backend_names(str(info.field_name))
        if value not in names:
            raise ValueError(f"{value!r} is not a registered backend; choose one of {', '.join(names)}")
        return value

    def chosen_backends(self, *, uses_blobs: bool = True) -> list[Backend[Any]]:
        """The backend chosen for each port (the blob store's only for a service that keeps files)."""
        ports = ["bus", "documents"] + (["blobs"] if uses_blobs else [])
        return [backend(port, getattr(self, port)) for port in ports]

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def jwks_url(self) -> str:
        return self.auth_jwks_url or self.auth_issuer.rstrip("/") + "/jwks.json"


class ServiceSettings(BaseSettings):
    """Base of each service's settings; subclasses set `env_prefix` to `REXVET_<SERVICE>_` and `service_name`."""

    model_config = SettingsConfigDict(extra="ignore")

    # Whether the service keeps files in the blob store: only then does it need the blob store's settings.
    uses_blobs: ClassVar[bool] = False

    service_name: str = Field("service", description="The service's name (names its data directory)")
    host: str = Field("127.0.0.1", description="Address the service listens on")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the service listens on")
    max_body_bytes: int = Field(
        1024 * 1024,
        ge=1024,
        le=64 * 1024 * 1024,
        description="Largest request body a route takes unless it sets its own limit (the file upload streams "
        "under its own); read before parsing, refused with 413 as soon as it is passed",
    )
    platform: PlatformSettings = Field(default_factory=PlatformSettings, exclude=True)
    # Filled by `load_settings` with the chosen backends' settings, by port.
    backends: dict[str, BackendSettings] = Field(default_factory=dict, exclude=True)

    @property
    def service_dir(self) -> Path:
        """Where the embedded backends keep this service's own data (its database never holds another's)."""
        return self.platform.data_dir / self.service_name

    @property
    def documents_path(self) -> Path:
        return self.service_dir / "documents.sqlite3"

    @property
    def blobs_dir(self) -> Path:
        return self.service_dir / "blobs"

    def backend_settings(self, port: str) -> BackendSettings:
        """The chosen backend's own settings for `port`, as read at start (or now, for settings built by hand)."""
        loaded = self.backends.get(port)
        if loaded is None:
            loaded = self.backends[port] = backend(port, getattr(self.platform, port)).load_settings()
        return loaded

    def production_problems(self) -> list[str]:
        """Extra refusals a service adds for production (placeholder secrets of its own); none by default."""
        return []


def service_scheme(environ: Mapping[str, str]) -> str:
    """How the services are reached: https when they serve TLS themselves (REXVET_TLS_CERT_FILE), else http."""
    return "https" if environ.get("REXVET_TLS_CERT_FILE") else "http"


def default_auth_issuer(environ: Mapping[str, str]) -> str:
    """The issuer service's own address from the issuer's host and port variables (as `make run` starts it)."""
    host = environ.get("REXVET_ISSUER_HOST") or ISSUER_DEFAULT_HOST
    port = environ.get("REXVET_ISSUER_PORT") or str(ISSUER_DEFAULT_PORT)
    return f"{service_scheme(environ)}://{host}:{port}"


def is_placeholder(value: SecretStr | str) -> bool:
    raw = value.get_secret_value() if isinstance(value, SecretStr) else value
    lowered = raw.strip().lower()
    return lowered in PLACEHOLDER_SECRETS or any(marker in lowered for marker in PLACEHOLDER_MARKERS)


S = TypeVar("S", bound=ServiceSettings)


def load_settings(cls: type[S], *, platform: PlatformSettings | None = None, **overrides: Any) -> S:
    """Read the environment into `cls`, or raise `ConfigurationError` naming every variable to fix."""
    if platform is None:
        try:
            platform = PlatformSettings()
        except ValidationError as exc:
            raise ConfigurationError(_describe_validation_error(exc, PLATFORM_PREFIX)) from exc
    prefix = str(cls.model_config.get("env_prefix", ""))
    try:
        settings = cls(platform=platform, **overrides)
    except ValidationError as exc:
        raise ConfigurationError(_describe_validation_error(exc, prefix)) from exc
    missing, invalid = [], []
    for chosen_backend in platform.chosen_backends(uses_blobs=cls.uses_blobs):
        try:
            settings.backends[chosen_backend.port] = chosen_backend.load_settings()
        except SettingsRefused as backend_refused:
            missing += backend_refused.missing
            invalid += backend_refused.invalid
    if invalid:
        raise ConfigurationError("invalid settings: " + "; ".join(invalid))
    if missing:
        chosen = f"REXVET_BUS={platform.bus}, REXVET_DOCUMENTS={platform.documents}, REXVET_BLOBS={platform.blobs}"
        raise ConfigurationError(f"the chosen backends ({chosen}) need these variables set: {', '.join(missing)}")
    if platform.production:
        refused_secrets = [name for loaded in settings.backends.values() for name in loaded.placeholder_secrets()]
        refused = refused_secrets + settings.production_problems()
        if refused:
            raise ConfigurationError(
                "REXVET_ENV=production refuses placeholder or development values; set real values for: "
                + ", ".join(refused)
            )
    return settings


def _describe_validation_error(exc: ValidationError, prefix: str) -> str:
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        if loc and loc[0] == "platform":
            name = PLATFORM_PREFIX + "_".join(loc[1:]).upper()
        else:
            name = prefix + "_".join(loc).upper()
        problems.append(f"{name}: {error['msg']}")
    return "invalid settings: " + "; ".join(problems)


class SettingsSummary(BaseModel):
    """What a service logs about itself at start (never a secret)."""

    service: str
    env: str
    bus: str
    documents: str
    blobs: str
    data_dir: str


def summarize(settings: ServiceSettings) -> SettingsSummary:
    platform = settings.platform
    return SettingsSummary(
        service=settings.service_name,
        env=platform.env.value,
        bus=platform.bus,
        documents=platform.documents,
        blobs=platform.blobs,
        data_dir=str(platform.data_dir),
    )
