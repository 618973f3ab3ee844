"""The embedded event log against the event bus contract, plus what only it promises (leases across processes)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from rexvet_common.adapters import sqlite_event_log_store as store
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events.topics import dead_letter_topic

from .event_bus_contract import BusFactory, EventBusContract
from .support import Recorder, make_event, unique_name, unique_topic, wait_until

WORKER = Path(__file__).resolve().parent / "event_log_worker.py"


def sqlite_event_log(path: str, lease_ttl: float = 1.0) -> SqliteEventLog:
    """Quick polls and short leases for tests; a module-level function so a subprocess can build one too."""
    return SqliteEventLog(path, poll_interval=0.02, lease_ttl=lease_ttl, close_grace=0.2)


class TestSqliteEventLog(EventBusContract):
    @pytest.fixture
    def make_bus(self, tmp_path: Path) -> BusFactory:
        return lambda: sqlite_event_log(str(tmp_path / "events.sqlite3"))


async def _spawn_consumer(db: Path, topic: str, group: str, out: Path) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), str(db), topic, group, str(out), stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    assert await asyncio.wait_for(process.stdout.readline(), timeout=60) == b"consuming\n"
    return process


def _handled(out: Path) -> list[tuple[int, str]]:
    if not out.exists():
        return []
    return [(int(pid), event_id) for pid, event_id in (line.split() for line in out.read_text().splitlines())]


async def test_two_processes_of_a_group_share_the_log_and_one_takes_over_when_the_other_dies(tmp_path: Path) -> None:
    db, out = tmp_path / "events.sqlite3", tmp_path / "handled.txt"
    topic, group = unique_topic(), unique_name("shared")
    processes = [await _spawn_consumer(db, topic, group, out) for _ in range(2)]
    publisher = sqlite_event_log(str(db))
    try:
        first = [make_event(f"inst:{n % 6}", n) for n in range(60)]
        for event in first:
            await publisher.publish(topic, event)
        await wait_until(lambda: len({e for _, e in _handled(out)}) == 60, "the first sixty events")
        handled = _handled(out)
        assert len(handled) == 60  # no event consumed by both processes

        holder = next(p for p in processes if p.pid == handled[0][0])
        holder.kill()  # SIGKILL: its leases are not released, they expire
        await holder.wait()
        survivor = next(p for p in processes if p is not holder)
        second = [make_event(f"inst:{n % 6}", n) for n in range(60, 90)]
        for event in second:
            await publisher.publish(topic, event)
        await wait_until(lambda: len({e for _, e in _handled(out)}) == 90, "the survivor to take over")
        assert {e for pid, e in _handled(out)[60:]} == {e.id for e in second}
        assert {pid for pid, _ in _handled(out)[60:]} == {survivor.pid}
    finally:
        await publisher.close()
        for process in processes:
            if process.returncode is None:
                process.terminate()
                await process.wait()


async def test_a_record_that_is_not_a_cloudevent_is_dead_lettered_whole_and_its_partition_moves_on(
    tmp_path: Path,
) -> None:
    """A record written by an incompatible version is kept for an operator, not dropped, and stalls nothing."""
    db, topic, group = tmp_path / "events.sqlite3", unique_topic(), unique_name("g")
    bus = sqlite_event_log(str(db))
    before, after = make_event("inst:1", 1), make_event("inst:1", 2)
    await bus.publish(topic, before)
    with sqlite3.connect(db) as conn:  # the same partition as the events around it (same key)
        store.append(conn, topic, "inst:1", "raw-1", b'{"not": "a cloudevent"}', default_partitions=6)
    await bus.publish(topic, after)

    handled, dead = Recorder(), Recorder()
    bus.subscribe([topic], group, handled)
    bus.subscribe([dead_letter_topic(topic, group)], unique_name("operator"), dead)
    await bus.start()
    try:
        await wait_until(lambda: len(handled.events) == 2 and len(dead.events) == 1, "both events and the dead letter")
        assert handled.ids() == [before.id, after.id]
        letter = dead.events[0]
        assert letter.type == "org.rexvet.bus.dead_lettered.v1"
        assert letter.partitionkey == "inst:1"
        assert letter.data["event"] == {"raw": '{"not": "a cloudevent"}'}
        assert letter.data["error"].startswith("undecodable event:")
    finally:
        await bus.close()
