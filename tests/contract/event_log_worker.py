"""A consumer process of the embedded event log: appends "<pid> <event id> <time>" per event it handles to a file.

Run as `python tests/contract/event_log_worker.py DB_PATH TOPIC GROUP OUT_FILE`; prints "consuming <lease owner>"
once subscribed, and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.ports.event_bus import RetryPolicy


def _append(out: Path, line: str) -> None:
    with out.open("a") as file:  # one short append per line: lines of two processes never interleave
        file.write(line)


async def main(db_path: str, topic: str, group: str, out_file: str) -> None:
    out = Path(out_file)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)

    async def record(event: CloudEvent) -> None:
        await asyncio.to_thread(_append, out, f"{os.getpid()} {event.id} {time.time()!r}\n")

    bus = SqliteEventLog(db_path, poll_interval=0.02, lease_ttl=1.0, close_grace=0.5)
    bus.subscribe([topic], group, record, retry=RetryPolicy(max_attempts=2, initial_backoff_seconds=0.01))
    await bus.start()
    sys.stdout.write(f"consuming {bus.owner}\n")
    sys.stdout.flush()
    await stop.wait()
    await bus.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
