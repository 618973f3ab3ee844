"""The embedded event log against the event bus contract, plus what only it promises (leases across processes)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from rexvet_common.adapters import sqlite_event_log_store as store
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events.envelope import CloudEvent
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


LEASE = 1.0  # the worker's lease length (event_log_worker.py)


async def _spawn_consumer(db: Path, topic: str, group: str, out: Path) -> tuple[asyncio.subprocess.Process, str]:
    """A consumer process, and its name in the lease table."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), str(db), topic, group, str(out), stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    word, owner = (await asyncio.wait_for(process.stdout.readline(), timeout=60)).decode().split()
    assert word == "consuming"
    return process, owner


def _handled_at(out: Path) -> list[tuple[int, str, float]]:
    """(pid, event id, when handled) per delivery, in the order they happened."""
    if not out.exists():
        return []
    lines = (line.split() for line in out.read_text().splitlines())
    return [(int(pid), event_id, float(at)) for pid, event_id, at in lines]


def _handled(out: Path) -> list[tuple[int, str]]:
    return [(pid, event_id) for pid, event_id, _ in _handled_at(out)]


def _leases(db: Path, group: str) -> dict[store.TopicPartition, tuple[str, float]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return store.leases(conn, group)


async def _committed(bus: SqliteEventLog, group: str, topic: str) -> None:
    """Wait until the group has acknowledged everything in the topic."""
    for _ in range(3000):
        if await bus.consumer_lag(group) == {topic: 0}:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"group {group} still has unacknowledged events: {await bus.consumer_lag(group)}")


async def test_two_processes_of_a_group_share_the_log_and_one_takes_over_when_the_other_dies(tmp_path: Path) -> None:
    db, out = tmp_path / "events.sqlite3", tmp_path / "handled.txt"
    topic, group = unique_topic(), unique_name("shared")
    processes = [(await _spawn_consumer(db, topic, group, out))[0] for _ in range(2)]
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


async def test_a_killed_consumers_partitions_are_taken_over_once_its_last_heartbeat_expires(tmp_path: Path) -> None:
    """Takeover follows the lease recorded in the store: the dead holder's heartbeats kept each lease at most one
    lease length ahead, the survivor serves a partition only after that expiry, and no event is lost or doubled."""
    db, out = tmp_path / "events.sqlite3", tmp_path / "handled.txt"
    topic, group = unique_topic(), unique_name("takeover")
    spawned = [await _spawn_consumer(db, topic, group, out) for _ in range(2)]
    publisher = sqlite_event_log(str(db))
    try:
        first = [make_event(f"inst:{n % 6}", n) for n in range(30)]
        for event in first:
            await publisher.publish(topic, event)
        await wait_until(lambda: len(_handled(out)) == 30, "the first thirty events")
        await _committed(publisher, group, topic)

        # The first consumer up usually claimed every partition (the other waits as a standby); kill the one with most.
        held = [owner for owner, _ in _leases(db, group).values()]
        (holder, holder_owner), (survivor, survivor_owner) = sorted(spawned, key=lambda s: -held.count(s[1]))
        killed_at = time.time()
        holder.kill()  # SIGKILL: no release, the leases must lapse
        await holder.wait()
        expiry = {tp: until for tp, (owner, until) in _leases(db, group).items() if owner == holder_owner}
        assert expiry
        # The heartbeat renewed every lease to at most one lease length ahead: that bounds the takeover.
        assert all(until <= killed_at + LEASE for until in expiry.values())

        second = [make_event(f"inst:{n % 6}", n) for n in range(30, 60)]
        for event in second:
            await publisher.publish(topic, event)
        await wait_until(lambda: len(_handled(out)) >= 60, "the survivor to take over")
        await wait_until(lambda: {o for o, _ in _leases(db, group).values()} == {survivor_owner}, "every lease moved")

        deliveries = _handled_at(out)
        assert sorted(e for _, e, _ in deliveries) == sorted(e.id for e in first + second)  # none lost, none twice
        partition_of = {e.id: (topic, store.partition_for(e.partitionkey, 6)) for e in second}
        for pid, event_id, at in deliveries[30:]:
            assert pid == survivor.pid
            if partition_of[event_id] in expiry:
                assert at > expiry[partition_of[event_id]]  # served only once the dead holder's lease had lapsed
    finally:
        await publisher.close()
        for process, _ in spawned:
            if process.returncode is None:
                process.terminate()
                await process.wait()


async def test_a_slow_handler_keeps_its_partition_through_heartbeats(tmp_path: Path) -> None:
    """A handler busy for several lease lengths is alive, not dead: its instance keeps renewing the lease, the
    standby of the same group never takes the partition, and the event is handled once and acknowledged."""
    db, topic, group = tmp_path / "events.sqlite3", unique_topic(), unique_name("slow")
    lease = 1.0
    release, entered = asyncio.Event(), asyncio.Event()
    slow_handled, standby_handled = Recorder(), Recorder()

    async def slow(event: CloudEvent) -> None:
        entered.set()
        await release.wait()
        await slow_handled(event)

    busy = sqlite_event_log(str(db), lease_ttl=lease)
    standby = sqlite_event_log(str(db), lease_ttl=lease)
    busy.subscribe([topic], group, slow)
    await busy.start()
    try:
        event = make_event("inst:1", 1)
        await busy.publish(topic, event)
        await asyncio.wait_for(entered.wait(), timeout=30)
        standby.subscribe([topic], group, standby_handled)
        await standby.start()
        tp = (topic, store.partition_for(event.partitionkey, 6))
        first_owner, first_expiry = _leases(db, group)[tp]
        assert first_owner == busy.owner

        # Wait until the lease taken when the handler started would have lapsed, and the standby had time to beat.
        await wait_until(lambda: time.time() > first_expiry + lease, "several lease lengths of slow handling")
        owner, expiry = _leases(db, group)[tp]
        assert owner == busy.owner
        assert expiry > first_expiry  # renewed by heartbeats while the handler ran

        release.set()
        await wait_until(lambda: len(slow_handled.events) == 1, "the slow handler to finish")
        await _committed(busy, group, topic)
        assert slow_handled.ids() == [event.id]
        assert standby_handled.events == []
    finally:
        release.set()
        await standby.close()
        await busy.close()


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
