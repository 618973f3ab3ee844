"""A `DocumentFetcher` decorator in front of the guarded fetcher: one request per URL at a time, failures remembered.

A public verifier fetches what anonymous callers' credentials name. Without this, a hundred requests naming one
slow or unresolvable host would each wait out the fetch timeout (or the resolver's), and a hundred requests arriving
as a cached status list expires would each download it. So concurrent fetches of one URL share one request, and a
failed fetch is answered from memory for `failure_seconds`: the credential is reported `incomplete` at once instead
of holding a connection for seconds. The time source is monotonic on purpose: it is an operational limit, not part of
verification (whose clock may be fixed).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

from rexvet_credentials.errors import FetchError
from rexvet_credentials.ports import DocumentFetcher, FetchedDocument

DEFAULT_FAILURE_SECONDS = 30.0
MAX_REMEMBERED_FAILURES = 4096


class SharedFetches:
    def __init__(
        self,
        inner: DocumentFetcher,
        *,
        failure_seconds: float = DEFAULT_FAILURE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._failure_seconds = failure_seconds
        self._monotonic = monotonic
        self._in_flight: dict[tuple[str, str], asyncio.Future[FetchedDocument]] = {}
        self._failures: OrderedDict[str, tuple[float, FetchError]] = OrderedDict()

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        remembered = self._failures.get(url)
        if remembered is not None:
            until, error = remembered
            if self._monotonic() < until:
                raise FetchError(f"{error.message} (failed moments ago; not retried yet)", code=error.code)
            del self._failures[url]
        key = (url, accept)
        shared = self._in_flight.get(key)
        if shared is None:
            shared = asyncio.ensure_future(self._inner.fetch(url, accept=accept))
            self._in_flight[key] = shared
            shared.add_done_callback(lambda done: self._finished(key, done))
        try:
            # shield: one caller giving up (its request cancelled) does not cancel the others' fetch
            return await asyncio.shield(shared)
        except FetchError as exc:
            self._remember(url, exc)
            raise

    def _finished(self, key: tuple[str, str], done: asyncio.Future[FetchedDocument]) -> None:
        self._in_flight.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved here, so a fetch whose every caller gave up logs no "never retrieved"

    def forget(self, url: str) -> None:
        """Try `url` again at the next fetch (its publisher says it changed)."""
        self._failures.pop(url, None)

    def _remember(self, url: str, error: FetchError) -> None:
        self._failures[url] = (self._monotonic() + self._failure_seconds, error)
        self._failures.move_to_end(url)
        while len(self._failures) > MAX_REMEMBERED_FAILURES:
            self._failures.popitem(last=False)
