"""The embedded event log acknowledges a batch with one offset commit, past the events whose delivery returned."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from rexvet_common.adapters import sqlite_event_log_store
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events.envelope import CloudEvent, new_event

pytestmark = pytest.mark.unit

TOPIC = "rexvet.unit.v1"


def event(n: int) -> CloudEvent:
    return new_event(type="org.rexvet.test.unit.v1", source="rexvet/unit", key="inst:1", data={"n": n})


async def consume(path: Path, group: str, until: int, seconds: float = 20.0) -> list[int]:
    seen: list[int] = []
    done = asyncio.Event()

    async def handle(received: CloudEvent) -> None:
        seen.append(received.data["n"])
        if len(seen) >= until:
            done.set()

    bus = SqliteEventLog(path, poll_interval=0.02)
    bus.subscribe([TOPIC], group, handle)
    await bus.start()
    try:
        if until:
            await asyncio.wait_for(done.wait(), timeout=seconds)
        else:
            await asyncio.sleep(0.3)  # time to deliver anything left
    finally:
        await bus.close()
    return seen


async def test_a_batch_is_acknowledged_by_one_commit_and_not_delivered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.sqlite3"
    publisher = SqliteEventLog(path)
    for n in range(10):  # one key: one partition, one batch
        await publisher.publish(TOPIC, event(n))
    await publisher.close()
    commits: list[int] = []
    commit = sqlite_event_log_store.commit_offset

    def counting_commit(conn: Any, **kwargs: Any) -> bool:
        commits.append(kwargs["next_seq"])
        return commit(conn, **kwargs)

    monkeypatch.setattr(sqlite_event_log_store, "commit_offset", counting_commit)
    assert await consume(path, "g", until=10) == list(range(10))
    assert len(commits) == 1  # one durable write for the batch, not one per event
    assert await consume(path, "g", until=0) == []  # acknowledged: a restarted group resumes after them


async def test_events_after_a_failed_delivery_are_not_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    publisher = SqliteEventLog(path)
    for n in range(5):
        await publisher.publish(TOPIC, event(n))
    await publisher.close()
    seen: list[int] = []
    stuck = asyncio.Event()

    async def handle(received: CloudEvent) -> None:
        seen.append(received.data["n"])
        if received.data["n"] == 2:
            stuck.set()
            await asyncio.sleep(3600)  # still running when the bus closes: not acknowledged

    bus = SqliteEventLog(path, poll_interval=0.02, close_grace=0.1)
    bus.subscribe([TOPIC], "g", handle)
    await bus.start()
    await asyncio.wait_for(stuck.wait(), timeout=20)
    await bus.close()
    assert seen == [0, 1, 2]
    again = await consume(path, "g", until=1)
    assert again[0] in (0, 2)  # from the committed position: nothing past the unfinished event was acknowledged
