"""scripts/infra runs FerretDB on PostgreSQL with companion indexes (scripts/infra/postgres/ferretdb-indexes.sql):
FerretDB sends equality filters as jsonb containment (`_jsonb->'_id' @> ...`), which its own btree indexes cannot
serve. These tests check, in PostgreSQL itself, that a collection made through our adapter gets an index that serves
the query form FerretDB sends, for `_id` and for every indexed field."""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest
from contract.real_engines import MONGO_URL, TEST_DATABASE, require_mongo
from real_engine_helpers import INFRA

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.ports.document_store import Index

pytestmark = pytest.mark.integration


def psql(sql: str) -> str:
    result = subprocess.run(
        ["bash", str(INFRA), "psql", "-tA", "-c", sql], capture_output=True, text=True, timeout=60, env=os.environ
    )
    if result.returncode != 0:
        pytest.skip(f"no PostgreSQL under FerretDB here (REXVET_INFRA_FERRETDB_HANDLER=sqlite?): {result.stderr}")
    return result.stdout.strip()


def plan_of(table: str, field: str, value: str) -> str:
    # The planner would rightly scan a table this small; forbid that to see whether an index can serve the filter.
    sql = (
        "SET enable_seqscan = off; EXPLAIN (FORMAT JSON) "
        f"SELECT _jsonb FROM {table} WHERE _jsonb->'{field}' @> '{json.dumps(value)}'"
    )
    return psql(sql)


async def test_a_new_collection_gets_indexes_that_serve_ferretdbs_equality_filters() -> None:
    require_mongo()
    collection = f"idx_{uuid.uuid4().hex[:10]}"
    store = MongoDocumentStore(MONGO_URL, database=TEST_DATABASE, server_selection_timeout_ms=5000)
    try:
        await store.ensure_collection(collection, (Index(("tenant",)),))
        await store.insert(collection, {"_id": "a", "tenant": "t1"})
    finally:
        await store.close()

    # FerretDB's own metadata table maps a collection to its (mangled) table name.
    name = psql(
        f"SELECT _jsonb->>'table' FROM {TEST_DATABASE}._ferretdb_database_metadata "
        f"WHERE _jsonb->>'_id' = '{collection}'"
    )
    assert name, f"FerretDB made no table for {collection}"
    table = f"{TEST_DATABASE}.{name}"
    gin = psql(
        f"SELECT indexdef FROM pg_indexes WHERE schemaname = '{TEST_DATABASE}' AND tablename = '{name}' "
        "AND indexdef LIKE '%USING gin%'"
    )
    assert "'_id'" in gin and "'tenant'" in gin, gin

    for field, value in (("_id", "a"), ("tenant", "t1")):
        plan = json.loads(plan_of(table, field, value))
        text = json.dumps(plan)
        assert "Index Scan" in text or "Bitmap Index Scan" in text, f"{field}: {text}"
        assert "Seq Scan" not in text, f"{field}: {text}"
