"""The people directory's API and HR-event cases on FerretDB: the same cases as the embedded-store tests.

Needs FerretDB on 127.0.0.1:27017 (`make infra-up`) or REXVET_MONGO_URL. The bus is the embedded event log: what is
checked here is the document store (the directory's indexed queries, compare-and-swap, the applied-event ids); the
Kafka path of coaching's consumer is the full path's test. Each run uses its own database.
"""

from __future__ import annotations

import inspect
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from contract.real_engines import MONGO_URL, require_mongo
from pymongo import MongoClient

# tests/unit, the root the coaching unit tests are imported from: their cases are one module under one name.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from coaching import test_directory_api as cases
from coaching.harness import Harness, coaching_app

from rexvet_common.adapters.mongo_document_store import MongoDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog

pytestmark = pytest.mark.integration

Case = Callable[[Harness], Awaitable[None]]
CASES: list[Case] = [
    case
    for name, case in inspect.getmembers(cases, inspect.iscoroutinefunction)
    if name.startswith("test_") and list(inspect.signature(case).parameters) == ["h"]
]


@pytest.fixture
async def on_ferretdb(tmp_path: Path) -> AsyncIterator[Harness]:
    require_mongo()
    database = f"rexvet_it_people_{uuid.uuid4().hex[:8]}"
    documents = MongoDocumentStore(MONGO_URL, database=database, server_selection_timeout_ms=5000)
    bus = SqliteEventLog(tmp_path / "events.sqlite", poll_interval=0.02)
    try:
        async with coaching_app(tmp_path, bus=bus, documents=documents) as h:
            yield h
    finally:
        await documents.close()
        client: MongoClient[dict[str, Any]] = MongoClient(MONGO_URL)
        with client:
            client.drop_database(database)


def test_every_directory_case_is_run_here() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
async def test_directory_on_ferretdb(case: Case, on_ferretdb: Harness) -> None:
    await case(on_ferretdb)
