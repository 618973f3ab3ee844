"""What the SQLite adapters share: one connection per adapter, used from one worker thread, in WAL mode.

Several service processes open the same file. WAL lets readers run beside one writer, `busy_timeout` makes a writer
wait for another process's transaction instead of failing at once, and `BEGIN IMMEDIATE` takes the write lock up
front so two read-then-write transactions cannot deadlock on the upgrade. All calls go through one thread per
adapter, so the connection is never shared between threads and the event loop never blocks on disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from rexvet_common.errors import BackendUnavailableError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000


class SqliteRunner:
    """Runs functions of one SQLite connection on its own worker thread."""

    def __init__(self, path: Path | str, *, name: str) -> None:
        self._path = Path(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    @property
    def path(self) -> Path:
        return self._path

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._closed:
            raise BackendUnavailableError(f"the connection to {self._path} was closed; open a new adapter")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, fn)

    def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            self._conn = _connect(self._path)
        try:
            return fn(self._conn)
        except sqlite3.OperationalError as exc:  # locked past the busy timeout, disk full, I/O error
            raise BackendUnavailableError(f"SQLite database {self._path} failed: {exc}") from exc

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._close_connection)
        self._executor.shutdown(wait=True)

    def _close_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE), nothing implicit.
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk when it returns, which is what "durable when publish returns" promises.
        conn.execute("PRAGMA synchronous = FULL")
    except (OSError, sqlite3.Error) as exc:
        raise BackendUnavailableError(
            f"cannot open SQLite database {path}: {exc}; check the path and its permissions"
        ) from exc
    return conn


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that holds the database's write lock from its first statement."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
