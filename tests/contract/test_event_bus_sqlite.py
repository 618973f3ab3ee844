"""The embedded event log against the event bus contract, plus what only it promises (leases across processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_event_log import SqliteEventLog

from .event_bus_contract import BusFactory, EventBusContract


def sqlite_event_log(path: str, lease_ttl: float = 1.0) -> SqliteEventLog:
    """Quick polls and short leases for tests; a module-level function so a subprocess can build one too."""
    return SqliteEventLog(path, poll_interval=0.02, lease_ttl=lease_ttl, close_grace=0.2)


class TestSqliteEventLog(EventBusContract):
    @pytest.fixture
    def make_bus(self, tmp_path: Path) -> BusFactory:
        return lambda: sqlite_event_log(str(tmp_path / "events.sqlite3"))
