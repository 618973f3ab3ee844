"""The SQLite document store against the document store contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexvet_common.adapters import sqlite_document_query as q
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.errors import InvalidQueryError
from rexvet_common.ports.document_store import Index, SortOrder

from .document_store_contract import DocumentStoreContract, StoreFactory


class TestSqliteDocumentStore(DocumentStoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path) -> StoreFactory:
        return lambda: SqliteDocumentStore(tmp_path / "documents.sqlite3")


async def test_queries_on_indexed_fields_use_the_expression_index(tmp_path: Path) -> None:
    store = SqliteDocumentStore(tmp_path / "documents.sqlite3")
    await store.ensure_collection("people", [Index(("tenant", "profile.level"))])
    await store.insert("people", {"_id": "p1", "tenant": "a", "profile": {"level": 1}})
    where, params = q.where_sql({"tenant": "a", "profile.level": 1})
    plan = await store._db.run(
        lambda conn: conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM {q.table('people')} WHERE {where}", params
        ).fetchall()
    )
    assert any("USING INDEX ix_people_" in str(row[-1]) for row in plan), plan
    await store.close()


async def test_a_cursor_of_another_sort_order_is_refused(tmp_path: Path) -> None:
    store = SqliteDocumentStore(tmp_path / "documents.sqlite3")
    await store.ensure_collection("people", [Index(("tenant",)), Index(("email",))])
    for n in range(3):
        await store.insert("people", {"_id": f"p{n}", "tenant": "a", "email": f"{n}@example.org"})
    page = await store.find("people", {}, sort=[("tenant", SortOrder.ASCENDING)], limit=1)
    assert page.next_cursor is not None
    with pytest.raises(InvalidQueryError):
        await store.find("people", {}, sort=[("email", SortOrder.ASCENDING)], limit=1, cursor=page.next_cursor)
    await store.close()
