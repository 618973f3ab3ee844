"""The full path through the API and events on the embedded backend (SQLite event log and document store)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog

from .flows import full_path
from .harness import Harness, coaching_app

pytestmark = pytest.mark.unit


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    bus = SqliteEventLog(tmp_path / "events.sqlite", poll_interval=0.02)
    documents = SqliteDocumentStore(tmp_path / "coaching.sqlite")
    async with coaching_app(tmp_path, bus=bus, documents=documents) as h:
        yield h


async def test_full_path_embedded(harness: Harness) -> None:
    await full_path(harness)
