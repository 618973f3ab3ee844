"""Lists named once by some credential do not stay in the status-list cache for the life of the process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from rexvet_verifier.application.status_cache_pruning import prune
from rexvet_verifier.bootstrap import VerifierContext

from .credentials import signed_list, with_status
from .harness import NOW, verifier_service

pytestmark = pytest.mark.unit


@dataclass
class MovableClock:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


async def test_expired_lists_are_pruned(tmp_path: Path) -> None:
    clock = MovableClock(NOW)
    async with verifier_service(tmp_path, clock=clock) as service:
        context = service.app.state.runtime.context
        assert isinstance(context, VerifierContext) and service.documents is not None
        for n in range(3):
            url = f"https://status.rexvet.example/lists/{n}"
            service.documents.add(url, json.dumps(signed_list(url=url)).encode())
            assert (await service.verify_json(with_status(url=url)))["outcome"] == "verified"
            clock.instant += timedelta(seconds=1)  # each list expires a second after the one before
        assert len(context.status_lists.entries) == 3
        assert prune(context.status_lists, clock) == 0

        clock.instant += timedelta(minutes=5) - timedelta(milliseconds=2500)  # past the first list's ttl only
        assert prune(context.status_lists, clock) == 1
        assert "https://status.rexvet.example/lists/0" not in context.status_lists.entries  # the soonest to expire

        clock.instant += timedelta(minutes=5)
        assert prune(context.status_lists, clock) == 2
        assert context.status_lists.entries == {} and context.status_lists.bytes == 0
