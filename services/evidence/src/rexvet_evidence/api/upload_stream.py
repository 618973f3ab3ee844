"""The upload's byte stream, guarded: cut when the client goes quiet, and its first bytes looked at before storing.

An upload sending one byte a second was held open forever (issue 15). `idle_limited` ends it with `UploadIdle` once
no bytes arrive for the configured time; the blob store then drops what it had started to write, as for any error
while streaming, so nothing is left behind. `peeked` reads the first bytes (for `file_types`) and gives back a
stream that still yields every byte, those first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass


class UploadIdle(Exception):
    """No byte of the upload arrived for `seconds`: the client is too slow or gone."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"no data arrived for {seconds:g} s; the upload was cut and nothing was kept")


async def idle_limited(stream: AsyncIterable[bytes], seconds: float) -> AsyncIterator[bytes]:
    chunks = aiter(stream)
    while True:
        try:
            chunk = await asyncio.wait_for(anext(chunks), timeout=seconds)
        except StopAsyncIteration:
            return
        except TimeoutError as exc:
            raise UploadIdle(seconds) from exc
        yield chunk


@dataclass(frozen=True)
class Peeked:
    prefix: bytes  # the first `size` bytes (fewer when the file is shorter)
    whole: bool  # the prefix is the whole file
    chunks: AsyncIterator[bytes]  # every byte of the file, the prefix first


async def peeked(stream: AsyncIterable[bytes], size: int) -> Peeked:
    chunks = aiter(stream)
    head: list[bytes] = []
    read = 0
    whole = False
    while read < size:
        try:
            chunk = await anext(chunks)
        except StopAsyncIteration:
            whole = True
            break
        head.append(chunk)
        read += len(chunk)
    first = b"".join(head)

    async def replay() -> AsyncIterator[bytes]:
        if first:
            yield first
        if not whole:
            async for chunk in chunks:
                yield chunk

    return Peeked(first[:size], whole, replay())
