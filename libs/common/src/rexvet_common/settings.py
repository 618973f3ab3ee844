"""Settings shared by every service (prefix `REXVET_`) and the base of each service's own (`REXVET_<SERVICE>_`).

The platform settings choose one backend per port; choosing a backend without its settings fails at start with a
message that names the variables to set. `REXVET_ENV=production` also refuses placeholder secrets.
Nothing here reads the environment at import time: `load_settings()` does, from `bootstrap()`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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


class BusBackend(StrEnum):
    EMBEDDED = "embedded"
    KAFKA = "kafka"


class DocumentsBackend(StrEnum):
    SQLITE = "sqlite"
    MONGO = "mongo"


class BlobsBackend(StrEnum):
    LOCAL = "local"
    S3 = "s3"


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

    bus: BusBackend = Field(BusBackend.EMBEDDED, description="Event bus: embedded (SQLite event log) or kafka")
    documents: DocumentsBackend = Field(DocumentsBackend.SQLITE, description="Document store: sqlite or mongo")
    blobs: BlobsBackend = Field(BlobsBackend.LOCAL, description="Blob store: local (a directory) or s3")

    event_log_lease_seconds: float = Field(
        3.0,
        ge=0.3,
        le=300,
        description="Embedded bus: how long a consumer's claim on its partitions lasts without a heartbeat (sent "
        "every third of it); a killed consumer's partitions are taken over by another within this",
    )

    kafka_bootstrap_servers: str | None = Field(None, description="host:port[,host:port]; needed when BUS=kafka")
    kafka_partitions: int = Field(default=6, ge=1, description="Partitions of the topics the services create")
    kafka_replication_factor: int = Field(default=1, ge=1, description="Replication factor of those topics")
    kafka_security_protocol: str = Field("PLAINTEXT", description="PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    kafka_sasl_mechanism: str | None = Field(None, description="e.g. PLAIN or SCRAM-SHA-512; needs the two below")
    kafka_sasl_username: str | None = Field(None, description="SASL user name")
    kafka_sasl_password: SecretStr | None = Field(None, description="SASL password (secret)")
    kafka_ssl_cafile: Path | None = Field(
        None, description="PEM file of the CA that signs the brokers' certificates (SSL); default the system CAs"
    )
    kafka_namespace: str = Field(
        "", description="Prefix of every topic and consumer group, to share one cluster between deployments"
    )

    mongo_url: SecretStr | None = Field(None, description="MongoDB-wire URL (secret: may hold a password)")
    mongo_database_prefix: str = Field("rexvet_", description="Each service's database is <prefix><service>")

    s3_endpoint: str | None = Field(None, description="S3 endpoint (host:port or URL); needed when BLOBS=s3")
    s3_access_key: SecretStr | None = Field(None, description="S3 access key (secret)")
    s3_secret_key: SecretStr | None = Field(None, description="S3 secret key (secret)")
    s3_region: str = Field("us-east-1", description="S3 region")
    s3_secure: bool = Field(True, description="Use https to reach the S3 endpoint")
    s3_public_endpoint: str | None = Field(
        None, description="Where people reach the S3 store (download links are signed for it); default S3_ENDPOINT"
    )
    s3_bucket_prefix: str = Field("rexvet-", description="Each service's bucket is <prefix><service>")

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

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def jwks_url(self) -> str:
        return self.auth_jwks_url or self.auth_issuer.rstrip("/") + "/jwks.json"

    @property
    def event_log_path(self) -> Path:
        """The one durable local event log that every embedded service process shares."""
        return self.data_dir / "events.sqlite3"

    def missing_variables(self, *, uses_blobs: bool = True) -> list[str]:
        """Variables the chosen backends need but that are unset, as environment variable names.

        `uses_blobs=False` (a service that keeps no files) leaves the blob store's variables out.
        """
        required: list[tuple[bool, str]] = []
        if self.bus is BusBackend.KAFKA:
            required.append((self.kafka_bootstrap_servers is not None, "KAFKA_BOOTSTRAP_SERVERS"))
            if self.kafka_sasl_mechanism:
                required.append((self.kafka_sasl_username is not None, "KAFKA_SASL_USERNAME"))
                required.append((self.kafka_sasl_password is not None, "KAFKA_SASL_PASSWORD"))
        if self.documents is DocumentsBackend.MONGO:
            required.append((self.mongo_url is not None, "MONGO_URL"))
        if uses_blobs and self.blobs is BlobsBackend.S3:
            required.append((self.s3_endpoint is not None, "S3_ENDPOINT"))
            required.append((self.s3_access_key is not None, "S3_ACCESS_KEY"))
            required.append((self.s3_secret_key is not None, "S3_SECRET_KEY"))
        return [PLATFORM_PREFIX + name for present, name in required if not present]

    def placeholder_secrets(self, *, uses_blobs: bool = True) -> list[str]:
        secrets = {"KAFKA_SASL_PASSWORD": self.kafka_sasl_password}
        if uses_blobs:
            secrets |= {"S3_ACCESS_KEY": self.s3_access_key, "S3_SECRET_KEY": self.s3_secret_key}
        found = [PLATFORM_PREFIX + name for name, value in secrets.items() if value and is_placeholder(value)]
        if self.mongo_url and _url_password_is_placeholder(self.mongo_url.get_secret_value()):
            found.append(PLATFORM_PREFIX + "MONGO_URL")
        return found


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

    @property
    def mongo_database(self) -> str:
        return self.platform.mongo_database_prefix + self.service_name

    @property
    def s3_bucket(self) -> str:
        return self.platform.s3_bucket_prefix + self.service_name

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


def _url_password_is_placeholder(url: str) -> bool:
    from urllib.parse import urlsplit

    password = urlsplit(url).password
    return password is not None and is_placeholder(password)


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
    missing = platform.missing_variables(uses_blobs=cls.uses_blobs)
    if missing:
        chosen = f"REXVET_BUS={platform.bus}, REXVET_DOCUMENTS={platform.documents}, REXVET_BLOBS={platform.blobs}"
        raise ConfigurationError(f"the chosen backends ({chosen}) need these variables set: {', '.join(missing)}")
    if platform.production:
        refused = platform.placeholder_secrets(uses_blobs=cls.uses_blobs) + settings.production_problems()
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
        bus=platform.bus.value,
        documents=platform.documents.value,
        blobs=platform.blobs.value,
        data_dir=str(platform.data_dir),
    )
