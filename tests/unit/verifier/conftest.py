"""Fixtures of the verifier service tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .harness import LIMIT, Service, verifier_service


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    async with verifier_service(tmp_path, max_body_bytes=LIMIT) as running:
        yield running


@pytest.fixture(scope="session")
def validator_dir(conformance_dir: Path) -> Path:
    return conformance_dir / "1edtech-validator-ob30"
