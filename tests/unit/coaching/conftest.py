"""Fixtures of the coaching domain tests: the default framework and factories for records and events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rexvet_coaching.default_framework import DEFAULT_FRAMEWORK_FILE
from rexvet_coaching.domain.achievement import render_achievement, version_url
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.loading import load_framework_file
from rexvet_coaching.domain.progress import StaffRecord

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
