"""Fixtures of the evidence service tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .harness import Service, evidence_service


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    async with evidence_service(tmp_path, max_upload_bytes=1024) as running:
        yield running
