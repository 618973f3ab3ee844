"""Adding a backend is its adapter module and one registration: selection, start-up checks, production secrets and
the configuration reference all follow from its declaration, with nothing else edited."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from rexvet_cli.config_reference import reference_markdown
from rexvet_common import backend_registry
from rexvet_common.errors import ConfigurationError
from rexvet_common.settings import load_settings
from rexvet_common.wiring.backends import build_event_bus
from rexvet_evidence.settings import EvidenceSettings

pytestmark = pytest.mark.unit

# A bus that lives outside rexvet entirely, as a third-party package's would.
ADAPTER = textwrap.dedent(
    """
    from pydantic import Field, SecretStr
    from pydantic_settings import SettingsConfigDict

    from rexvet_common.backend_registry import Backend, BackendSettings, BuildContext
    from rexvet_common.adapters.sqlite_event_log import SqliteEventLog


    class PigeonSettings(BackendSettings):
        model_config = SettingsConfigDict(env_prefix="REXVET_PIGEON_", extra="ignore")

        loft: str = Field(description="Where the pigeons live")
        token: SecretStr = Field(description="The loft's key (secret)")


    class PigeonBus(SqliteEventLog):
        def __init__(self, path, loft):
            super().__init__(path)
            self.loft = loft


    def build(context: BuildContext, settings: PigeonSettings) -> PigeonBus:
        return PigeonBus(context.service.platform.data_dir / "pigeons.sqlite3", settings.loft)


    BACKEND = Backend(port="bus", name="pigeon", settings=PigeonSettings, build=build, summary="carrier pigeons")
    """
)


@pytest.fixture
def pigeon_registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    (tmp_path / "pigeon_bus.py").write_text(ADAPTER)
    monkeypatch.syspath_prepend(str(tmp_path))
    installed = backend_registry._entry_points()
    extra = importlib.metadata.EntryPoint("bus.pigeon", "pigeon_bus:BACKEND", backend_registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(backend_registry, "_entry_points", lambda: {**installed, "bus.pigeon": extra})
    for name in [name for name in list(__import__("os").environ) if name.startswith("REXVET_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("REXVET_DATA_DIR", str(tmp_path / "var"))
    backend_registry.backend.cache_clear()
    yield
    backend_registry.backend.cache_clear()
    sys.modules.pop("pigeon_bus", None)


def test_a_registered_backend_is_chosen_checked_and_built(
    pigeon_registered: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REXVET_BUS", "pigeon")
    with pytest.raises(ConfigurationError, match="REXVET_PIGEON_LOFT, REXVET_PIGEON_TOKEN"):
        load_settings(EvidenceSettings)
    monkeypatch.setenv("REXVET_PIGEON_LOFT", "roof")
    monkeypatch.setenv("REXVET_PIGEON_TOKEN", "Vq3m9-a-long-random-value")
    settings = load_settings(EvidenceSettings)
    bus = build_event_bus(settings)
    assert type(bus).__name__ == "PigeonBus" and vars(bus)["loft"] == "roof"


def test_production_refuses_a_placeholder_in_its_secret(
    pigeon_registered: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REXVET_ENV", "production")
    monkeypatch.setenv("REXVET_EVIDENCE_BLOB_URL_SECRET", "Vq3m9-long-random-value-from-a-vault")
    monkeypatch.setenv("REXVET_BUS", "pigeon")
    monkeypatch.setenv("REXVET_PIGEON_LOFT", "roof")
    monkeypatch.setenv("REXVET_PIGEON_TOKEN", "changeme")
    with pytest.raises(ConfigurationError, match="REXVET_PIGEON_TOKEN"):
        load_settings(EvidenceSettings)


def test_its_variables_are_in_the_configuration_reference(pigeon_registered: None) -> None:
    reference = reference_markdown()
    assert "| `REXVET_PIGEON_LOFT` | `(required)` | (REXVET_BUS=pigeon) Where the pigeons live |" in reference


def test_an_unregistered_name_lists_the_registered_ones(
    pigeon_registered: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REXVET_BUS", "owl")
    with pytest.raises(ConfigurationError, match=r"REXVET_BUS.*embedded, kafka, pigeon"):
        load_settings(EvidenceSettings)
