"""The tables of the embedded event log and the SQL that reads and writes them (run on the adapter's worker thread).

- `events`: the log, one row per event, addressed by (topic, partition, seq); never rewritten.
- `partition_ends`: the next seq of each partition, so appending and measuring lag never scan the log.
- `group_offsets`: per consumer group and partition, the next seq to deliver (everything before is acknowledged).
- `leases`: which consumer instance serves a group's partition, until when. Renewed while it runs; once expired
  (the holder crashed or hangs) any other instance of the group takes it over and resumes from the group offset.
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from rexvet_common.adapters.sqlite_support import write_transaction

TopicPartition = tuple[str, int]

SCHEMA = """
CREATE TABLE IF NOT EXISTS topics (topic TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS partition_ends (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, next_seq INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, seq INTEGER NOT NULL,
    event_key TEXT NOT NULL, event_id TEXT NOT NULL, payload BLOB NOT NULL, appended_at REAL NOT NULL,
    PRIMARY KEY (topic, partition, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_offsets (
    grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_seq INTEGER NOT NULL,
    PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
    grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, owner TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
"""


def partition_for(key: str, partitions: int) -> int:
    """A stable hash (crc32), so every process and every restart maps a key to the same partition."""
    return zlib.crc32(key.encode()) % partitions


def create_schema(conn: sqlite3.Connection) -> None:
    with write_transaction(conn):
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)


def topic_partitions(conn: sqlite3.Connection, topic: str, default: int) -> int:
    """The partition count is fixed when a topic is first used, so a changed default never remaps old keys."""
    conn.execute("INSERT OR IGNORE INTO topics (topic, partitions) VALUES (?, ?)", (topic, default))
    row = conn.execute("SELECT partitions FROM topics WHERE topic = ?", (topic,)).fetchone()
    return int(row[0])


def append(
    conn: sqlite3.Connection, topic: str, key: str, event_id: str, payload: bytes, default_partitions: int
) -> int:
    with write_transaction(conn):
        partition = partition_for(key, topic_partitions(conn, topic, default_partitions))
        rows = conn.execute(
            "INSERT INTO partition_ends (topic, partition, next_seq) VALUES (?, ?, 1) "
            "ON CONFLICT (topic, partition) DO UPDATE SET next_seq = next_seq + 1 RETURNING next_seq",
            (topic, partition),
        ).fetchall()
        seq = int(rows[0][0]) - 1
        conn.execute(
            "INSERT INTO events (topic, partition, seq, event_key, event_id, payload, appended_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (topic, partition, seq, key, event_id, payload, time.time()),
        )
    return partition


@dataclass(frozen=True)
class Claim:
    """What one heartbeat found: the partitions this owner holds (with their group offsets), and when the earliest
    lease held by another owner expires (None: every partition is ours), so a survivor can take it over right then."""

    held: dict[TopicPartition, int]
    others_expire_at: float | None


def claim_leases(
    conn: sqlite3.Connection, group: str, topics: Iterable[str], owner: str, ttl: float, default_partitions: int
) -> Claim:
    """The heartbeat: renew this owner's leases and take free or expired ones."""
    now = time.time()
    held: dict[TopicPartition, int] = {}
    topics = list(topics)
    with write_transaction(conn):
        for topic in topics:
            for partition in range(topic_partitions(conn, topic, default_partitions)):
                conn.execute(
                    "INSERT INTO leases (grp, topic, partition, owner, expires_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (grp, topic, partition) DO UPDATE SET owner = excluded.owner, "
                    "expires_at = excluded.expires_at WHERE leases.owner = excluded.owner OR leases.expires_at < ?",
                    (group, topic, partition, owner, now + ttl, now),
                )
        for topic, partition in conn.execute(
            "SELECT topic, partition FROM leases WHERE grp = ? AND owner = ?", (group, owner)
        ).fetchall():
            held[(topic, partition)] = committed_offset(conn, group, topic, partition)
        marks = ",".join("?" * len(topics))
        row = conn.execute(
            f"SELECT MIN(expires_at) FROM leases WHERE grp = ? AND owner != ? AND topic IN ({marks})",
            (group, owner, *topics),
        ).fetchone()
    return Claim(held=held, others_expire_at=None if row is None or row[0] is None else float(row[0]))


def leases(conn: sqlite3.Connection, group: str) -> dict[TopicPartition, tuple[str, float]]:
    """Who holds each of a group's partitions and until when (wall-clock seconds), for operators and tests."""
    rows = conn.execute("SELECT topic, partition, owner, expires_at FROM leases WHERE grp = ?", (group,)).fetchall()
    return {(str(topic), int(partition)): (str(owner), float(expires)) for topic, partition, owner, expires in rows}


def committed_offset(conn: sqlite3.Connection, group: str, topic: str, partition: int) -> int:
    row = conn.execute(
        "SELECT next_seq FROM group_offsets WHERE grp = ? AND topic = ? AND partition = ?", (group, topic, partition)
    ).fetchone()
    return int(row[0]) if row else 0


def release_leases(conn: sqlite3.Connection, owner: str) -> None:
    with write_transaction(conn):
        conn.execute("DELETE FROM leases WHERE owner = ?", (owner,))


def partition_ends(conn: sqlite3.Connection, topics: Iterable[str]) -> dict[TopicPartition, int]:
    ends: dict[TopicPartition, int] = {}
    for topic in topics:
        for partition, next_seq in conn.execute(
            "SELECT partition, next_seq FROM partition_ends WHERE topic = ?", (topic,)
        ).fetchall():
            ends[(topic, int(partition))] = int(next_seq)
    return ends


def read_batch(conn: sqlite3.Connection, tp: TopicPartition, from_seq: int, limit: int) -> list[tuple[int, str, bytes]]:
    rows = conn.execute(
        "SELECT seq, event_key, payload FROM events WHERE topic = ? AND partition = ? AND seq >= ? "
        "ORDER BY seq LIMIT ?",
        (tp[0], tp[1], from_seq, limit),
    ).fetchall()
    return [(int(seq), str(key), bytes(payload)) for seq, key, payload in rows]


def commit_offset(
    conn: sqlite3.Connection, group: str, tp: TopicPartition, next_seq: int, owner: str, ttl: float
) -> bool:
    """Acknowledge up to `next_seq` if this owner still holds the lease (else another instance took the partition)."""
    with write_transaction(conn):
        row = conn.execute(
            "SELECT owner FROM leases WHERE grp = ? AND topic = ? AND partition = ?", (group, tp[0], tp[1])
        ).fetchone()
        if row is None or row[0] != owner:
            return False
        conn.execute(
            "INSERT INTO group_offsets (grp, topic, partition, next_seq) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (grp, topic, partition) DO UPDATE SET next_seq = excluded.next_seq",
            (group, tp[0], tp[1], next_seq),
        )
        conn.execute(
            "UPDATE leases SET expires_at = ? WHERE grp = ? AND topic = ? AND partition = ?",
            (time.time() + ttl, group, tp[0], tp[1]),
        )
    return True


def lag(conn: sqlite3.Connection, group: str, topics: Iterable[str]) -> dict[str, int]:
    known = {str(t) for (t,) in conn.execute("SELECT DISTINCT topic FROM group_offsets WHERE grp = ?", (group,))}
    result: dict[str, int] = {}
    for topic in sorted(known | set(topics)):
        total = 0
        for (_, partition), end in partition_ends(conn, [topic]).items():
            total += max(0, end - committed_offset(conn, group, topic, partition))
        result[topic] = total
    return result
