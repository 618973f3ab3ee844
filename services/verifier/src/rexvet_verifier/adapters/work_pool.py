"""Where CPU-heavy work runs: off the event loop, in a bounded pool, so `/healthz` and small verifications go on.

What goes here is what an anonymous caller can make expensive: reading a baked image (a PNG of many chunks) and
preparing a credential whose work estimate is high (many JSON objects: blank nodes and quads to canonicalise).
Threads do not help pure-Python work (the GIL: a busy thread takes the loop's turn every 5 ms), so the default is a
process pool: the loop then only pickles the input and the result, and its workers run at a lower priority than
the server process. At most `workers` jobs run at once; more wait
their turn on a semaphore, holding nothing but their request. A worker process that dies is replaced and its job
tried once more.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Literal, Protocol, TypeVar

T = TypeVar("T")

# The workers yield the CPU to the server process: on a machine with few cores, a pool busy with an attacker's
# canonicalisation must not starve the event loop (which answers /healthz and the light verifications).
WORKER_NICENESS = 10


class WorkPool(Protocol):
    """The port: run `work(*args)` (a module-level function, picklable arguments) off the event loop."""

    async def run(self, work: Callable[..., T], *args: object) -> T: ...

    def close(self) -> None: ...


class ExecutorPool:
    def __init__(self, kind: Literal["process", "thread"] = "process", workers: int = 2) -> None:
        if workers < 1:
            raise ValueError("a work pool needs at least one worker")
        self.kind = kind
        self.workers = workers
        self._executor: Executor | None = None
        self._turns: asyncio.Semaphore | None = None

    def _pool(self) -> Executor:
        # Started at the first heavy job, not at boot: most processes never need it.
        if self._executor is None:
            if self.kind == "process":
                # spawn: a fresh interpreter, never a fork of a process that runs an event loop and threads
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=context, initializer=os.nice, initargs=(WORKER_NICENESS,)
                )
            else:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="verifier-work")
        return self._executor

    async def run(self, work: Callable[..., T], *args: object) -> T:
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.workers)
        loop = asyncio.get_running_loop()
        async with self._turns:
            try:
                return await loop.run_in_executor(self._pool(), work, *args)
            except BrokenProcessPool:
                self.close()  # a worker died (killed, out of memory): a new pool, and this job once more
                return await loop.run_in_executor(self._pool(), work, *args)

    def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
