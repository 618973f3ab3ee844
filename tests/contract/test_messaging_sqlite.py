"""Outbox and idempotent consumers on the embedded adapters (SQLite document store, SQLite event log)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .factory_spec import FactorySpec
from .messaging_contract import AdapterSpecs, MessagingContract


class TestMessagingOnSqlite(MessagingContract):
    @pytest.fixture
    def adapter_specs(self, tmp_path: Path) -> AdapterSpecs:
        return AdapterSpecs(
            store=FactorySpec(
                "rexvet_common.adapters.sqlite_document_store:SqliteDocumentStore",
                {"path": str(tmp_path / "documents.sqlite3")},
            ),
            bus=FactorySpec(
                "contract.test_event_bus_sqlite:sqlite_event_log",
                {"path": str(tmp_path / "events.sqlite3"), "lease_ttl": 1.0},
            ),
        )
