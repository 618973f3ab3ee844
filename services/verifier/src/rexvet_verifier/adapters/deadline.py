"""One deadline for every fetch of one verification: key documents, status lists, the keys of those lists.

Without it each fetch has its own timeout (the guarded fetcher's 10 s), so a credential naming a few slow servers
one after another holds its request for a multiple of that. `verification_deadline` marks when the verification
must be done (a context variable, so the concurrent status checks of one verification share it and other requests
do not see it); `DeadlineFetcher` cuts every fetch made under it short at that instant, with a `FetchError` whose
code is `fetch_deadline_exceeded`: the check it served reports that it could not finish in time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from rexvet_credentials.errors import DEADLINE_CODE, FetchError
from rexvet_credentials.ports import DocumentFetcher, FetchedDocument

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("verification_deadline", default=None)


@contextlib.contextmanager
def verification_deadline(seconds: float) -> Iterator[None]:
    """Every fetch through a `DeadlineFetcher` inside this block ends `seconds` from now at the latest."""
    at = asyncio.get_running_loop().time() + seconds
    token = _deadline.set((at, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


class DeadlineFetcher:
    """A `DocumentFetcher` decorator: fetches under the current verification's deadline (none outside one)."""

    def __init__(self, inner: DocumentFetcher) -> None:
        self._inner = inner

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        current = _deadline.get()
        if current is None:
            return await self._inner.fetch(url, accept=accept)
        at, seconds = current
        limit = asyncio.timeout_at(at)
        try:
            async with limit:
                return await self._inner.fetch(url, accept=accept)
        except TimeoutError as exc:
            if not limit.expired():
                raise
            raise FetchError(
                f"fetching {url} was cut short: the whole verification may take {seconds:g} s", code=DEADLINE_CODE
            ) from exc
