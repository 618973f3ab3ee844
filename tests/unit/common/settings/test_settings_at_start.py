"""Misconfiguration fails at start, and the message names the variables to set."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexvet_common.adapters.mongo_document_store import MongoSettings, database_name
from rexvet_common.adapters.sqlite_event_log import event_log_path
from rexvet_common.errors import ConfigurationError
from rexvet_common.settings import load_settings
from rexvet_evidence.app import create_app as create_evidence_app
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.settings import IssuerSettings

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("REXVET_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("REXVET_DATA_DIR", str(tmp_path / "var"))


def test_the_defaults_are_the_embedded_backends_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REXVET_DATA_DIR")
    settings = load_settings(EvidenceSettings)
    assert settings.platform.bus == "embedded"
    assert settings.platform.documents == "sqlite"
    assert settings.platform.env.value == "development"
    assert settings.documents_path == Path("var/evidence/documents.sqlite3")
    assert event_log_path(settings.platform.data_dir) == Path("var/events.sqlite3")
    assert settings.port == 8001


def test_service_variables_use_their_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXVET_EVIDENCE_PORT", "9101")
    monkeypatch.setenv("REXVET_ISSUER_PORT", "9103")
    assert load_settings(EvidenceSettings).port == 9101
    assert load_settings(IssuerSettings).port == 9103


@pytest.mark.parametrize(
    ("variables", "missing"),
    [
        ({"REXVET_BUS": "kafka"}, ["REXVET_KAFKA_BOOTSTRAP_SERVERS"]),
        ({"REXVET_DOCUMENTS": "mongo"}, ["REXVET_MONGO_URL"]),
        ({"REXVET_BLOBS": "s3"}, ["REXVET_S3_ENDPOINT", "REXVET_S3_ACCESS_KEY", "REXVET_S3_SECRET_KEY"]),
        (
            {
                "REXVET_BUS": "kafka",
                "REXVET_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092",
                "REXVET_KAFKA_SASL_MECHANISM": "PLAIN",
            },
            ["REXVET_KAFKA_SASL_USERNAME", "REXVET_KAFKA_SASL_PASSWORD"],
        ),
    ],
)
def test_a_backend_without_its_settings_names_the_missing_variables(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], missing: list[str]
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings(EvidenceSettings)
    for name in missing:
        assert name in str(raised.value)


def test_a_backend_with_its_settings_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXVET_DOCUMENTS", "mongo")
    monkeypatch.setenv("REXVET_MONGO_URL", "mongodb://127.0.0.1:27017")
    settings = load_settings(EvidenceSettings)
    mongo = settings.backend_settings("documents")
    assert isinstance(mongo, MongoSettings)
    assert "27017" not in repr(settings) + repr(mongo)  # the URL may carry a password: it is a SecretStr
    assert database_name(settings.service_name, mongo) == "rexvet_evidence"


def test_an_unknown_backend_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXVET_BUS", "rabbitmq")
    with pytest.raises(ConfigurationError, match="REXVET_BUS"):
        load_settings(EvidenceSettings)


def test_a_bad_service_value_names_the_service_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXVET_EVIDENCE_PORT", "not-a-port")
    with pytest.raises(ConfigurationError, match="REXVET_EVIDENCE_PORT"):
        load_settings(EvidenceSettings)


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    monkeypatch.setenv("REXVET_BLOBS", "s3")
    monkeypatch.setenv("REXVET_S3_ENDPOINT", "https://s3.example.org")
    monkeypatch.setenv("REXVET_S3_ACCESS_KEY", "rexvet-evidence")
    monkeypatch.setenv("REXVET_S3_SECRET_KEY", "changeme")
    monkeypatch.setenv("REXVET_DOCUMENTS", "mongo")
    monkeypatch.setenv("REXVET_MONGO_URL", "mongodb://rexvet:password@db:27017")
    with pytest.raises(ConfigurationError) as raised:
        load_settings(EvidenceSettings)
    message = str(raised.value)
    assert "REXVET_S3_SECRET_KEY" in message and "REXVET_MONGO_URL" in message
    assert "REXVET_S3_ACCESS_KEY" not in message
    assert "changeme" not in message  # never echo a secret


def test_production_needs_the_evidence_download_url_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    with pytest.raises(ConfigurationError, match="REXVET_EVIDENCE_BLOB_URL_SECRET"):
        load_settings(EvidenceSettings)
    monkeypatch.setenv("REXVET_EVIDENCE_BLOB_URL_SECRET", "Vq3m9-long-random-value-from-a-vault")
    assert load_settings(EvidenceSettings).platform.production


async def test_the_service_fails_at_start_naming_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app imports and builds fine; its lifespan (start) refuses, before any backend is touched."""
    monkeypatch.setenv("REXVET_BUS", "kafka")
    app = create_evidence_app()
    with pytest.raises(ConfigurationError, match="REXVET_KAFKA_BOOTSTRAP_SERVERS"):
        async with app.router.lifespan_context(app):
            pass


def test_only_a_service_that_keeps_files_needs_the_blob_store_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from rexvet_coaching.settings import CoachingSettings

    monkeypatch.setenv("REXVET_BLOBS", "s3")
    coaching = load_settings(CoachingSettings)  # keeps no files: S3 variables are not its business
    assert "blobs" not in coaching.backends
    with pytest.raises(ConfigurationError) as raised:
        load_settings(EvidenceSettings)
    assert "REXVET_S3_ENDPOINT" in str(raised.value) and "REXVET_S3_SECRET_KEY" in str(raised.value)


async def test_the_embedded_bus_lease_is_short_by_default_and_follows_its_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A killed consumer's partitions wait at most one lease for a new owner: 3 s unless the operator says otherwise."""
    from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
    from rexvet_common.wiring.backends import build_event_bus

    default = build_event_bus(load_settings(EvidenceSettings))
    monkeypatch.setenv("REXVET_EVENT_LOG_LEASE_SECONDS", "1.5")
    configured = build_event_bus(load_settings(EvidenceSettings))
    try:
        assert isinstance(default, SqliteEventLog) and isinstance(configured, SqliteEventLog)
        assert default.lease_seconds == 3.0
        assert configured.lease_seconds == 1.5
    finally:
        await default.close()
        await configured.close()
