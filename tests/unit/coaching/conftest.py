"""Fixtures of the coaching domain tests: the default framework and factories for records and events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rexvet_coaching.default_framework import DEFAULT_FRAMEWORK_FILE
from rexvet_coaching.domain.achievement import render_achievement, version_url
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.loading import load_framework_file
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog

from .harness import Harness, coaching_app

BASE_URL = "https://coaching.example.org"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def framework_file() -> Path:
    return DEFAULT_FRAMEWORK_FILE


@pytest.fixture(scope="session")
def framework(framework_file: Path) -> Framework:
    return load_framework_file(framework_file)


@pytest.fixture
def record() -> StaffRecord:
    return StaffRecord(tenant="omnia", staff_id="s-100", coach_id="c-1")


def achievement_for(framework: Framework, badge_id: str) -> dict[str, object]:
    badge = framework.badge(badge_id)
    assert badge is not None
    return render_achievement(framework, badge, version_url(BASE_URL, framework))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    """The coaching app on its own embedded event log and document store."""
    bus = SqliteEventLog(tmp_path / "events.sqlite", poll_interval=0.02)
    documents = SqliteDocumentStore(tmp_path / "coaching.sqlite")
    async with coaching_app(tmp_path, bus=bus, documents=documents) as harness:
        yield harness
