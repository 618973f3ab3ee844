"""The SQLite document store against the document store contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore

from .document_store_contract import DocumentStoreContract, StoreFactory


class TestSqliteDocumentStore(DocumentStoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path) -> StoreFactory:
        return lambda: SqliteDocumentStore(tmp_path / "documents.sqlite3")
