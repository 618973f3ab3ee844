"""Adapter modules are imported only for the backend that is chosen: the embedded default never loads a driver."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rexvet_common.errors import ConfigurationError
from rexvet_common.wiring import backends

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


def test_a_backend_whose_adapter_is_not_installed_fails_naming_the_variable() -> None:
    with pytest.raises(
        ConfigurationError, match=re.escape("REXVET_BUS=kafka needs the adapter module rexvet_common.adapters.gone")
    ):
        backends._adapter_module("rexvet_common.adapters.gone", "REXVET_BUS", "kafka")
