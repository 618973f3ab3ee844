"""Adapter modules are imported only for the backend that is chosen: the embedded default never loads a driver."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rexvet_common import backend_registry
from rexvet_common.backend_registry import ENTRY_POINT_GROUP
from rexvet_common.errors import ConfigurationError

pytestmark = pytest.mark.unit

PROBE = textwrap.dedent(
    """
    import asyncio, sys
    import rexvet_evidence.app as module
    app = module.create_app()
    assert "rexvet_common.adapters.sqlite_document_store" not in sys.modules, "imported at import time"

    async def start_and_stop():
        async with app.router.lifespan_context(app):
            pass

    asyncio.run(start_and_stop())
    drivers = [name for name in ("aiokafka", "pymongo", "minio") if name in sys.modules]
    print("loaded:", ",".join(drivers) or "none")
    print("embedded:", "rexvet_common.adapters.sqlite_document_store" in sys.modules)
    """
)


def test_the_embedded_default_imports_no_driver_of_the_real_engines(tmp_path: Path) -> None:
    env = {"REXVET_DATA_DIR": str(tmp_path / "var"), "REXVET_LOG_LEVEL": "WARNING", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "loaded: none" in result.stdout
    assert "embedded: True" in result.stdout


def test_a_backend_whose_adapter_is_not_installed_fails_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = importlib.metadata.EntryPoint("bus.kafka", "rexvet_common.adapters.gone:BACKEND", ENTRY_POINT_GROUP)
    monkeypatch.setattr(backend_registry, "_entry_points", lambda: {"bus.kafka": gone})
    backend_registry.backend.cache_clear()
    try:
        with pytest.raises(
            ConfigurationError, match=re.escape("REXVET_BUS=kafka needs the adapter module rexvet_common.adapters.gone")
        ):
            backend_registry.backend("bus", "kafka")
    finally:
        backend_registry.backend.cache_clear()


def test_every_registered_backend_declares_itself_under_its_own_name() -> None:
    declared = {(chosen.port, chosen.name) for chosen in backend_registry.all_backends()}
    assert declared == {
        ("bus", "embedded"),
        ("bus", "kafka"),
        ("documents", "sqlite"),
        ("documents", "mongo"),
        ("blobs", "local"),
        ("blobs", "s3"),
    }
