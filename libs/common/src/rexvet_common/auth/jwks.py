"""Where token-verification keys come from: the issuer's JWKS over HTTP (cached), or a key set held in memory.

The remote source is async (a service must not block its event loop on the issuer, and the issuer verifying its own
tokens must not call itself synchronously). An unknown `kid` triggers a refetch at once, so rotated keys are picked
up, but at most one fetch per `min_refetch_seconds`: tokens with made-up kids cannot make a service hammer the issuer.

The issuer being down must not stop a service from checking tokens: the last good key set is kept with its fetch time
(in memory, and through a `JwksCache` so a restarted service has it too) and used while the issuer cannot be reached,
up to `max_stale_seconds` after that fetch. Past that bound, or with no key set ever fetched, tokens are refused with
a 503 that names the issuer URL and the setting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from joserfc import jwk
from joserfc.errors import JoseError

from rexvet_common.errors import BackendUnavailableError
from rexvet_common.problems import Unauthorized

log = logging.getLogger(__name__)


class KeySource(Protocol):
    async def signing_key(self, kid: str | None) -> jwk.Key:
        """The public key for `kid`; `Unauthorized` when no such key is published."""


def pick_key(keys: dict[str | None, jwk.Key], kid: str | None) -> jwk.Key | None:
    if kid is not None:
        return keys.get(kid)
    # A token without `kid` is acceptable only when the set has exactly one key.
    return next(iter(keys.values())) if len(keys) == 1 else None


# Token keys are public keys: a shared secret (`oct`) in a published key set would let whoever read it sign tokens.
ASYMMETRIC_KEY_TYPES = frozenset({"EC", "RSA", "OKP"})


def parse_jwks(document: dict[str, Any]) -> dict[str | None, jwk.Key]:
    keys: dict[str | None, jwk.Key] = {}
    for entry in document.get("keys", []):
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        if entry.get("kty") not in ASYMMETRIC_KEY_TYPES:
            continue
        try:
            key = jwk.import_key(entry)
        except (JoseError, ValueError, TypeError):
            continue  # a key type or curve we do not support cannot have signed a token we accept
        keys[entry.get("kid")] = key
    return keys


class StaticJwks:
    """A key set known in-process (the issuer's own keys, or a test's); `reload` re-reads it on an unknown kid."""

    def __init__(self, load: Callable[[], dict[str, Any]]) -> None:
        self._load = load
        self._keys = parse_jwks(load())

    async def signing_key(self, kid: str | None) -> jwk.Key:
        key = pick_key(self._keys, kid)
        if key is None:
            self._keys = parse_jwks(self._load())
            key = pick_key(self._keys, kid)
        if key is None:
            raise Unauthorized(f"the token was signed with an unknown key (kid {kid!r})")
        return key


@dataclass(frozen=True)
class KnownJwks:
    """A key set as the issuer published it, and when it was fetched (wall-clock seconds: comparable after restarts)."""

    document: dict[str, Any]
    fetched_at: float


class JwksCache(Protocol):
    """Where the last good key set survives a restart (the service's document store; see `jwks_cache`)."""

    async def load(self, url: str) -> KnownJwks | None: ...

    async def save(self, url: str, known: KnownJwks) -> None: ...


class RemoteJwks:
    """The issuer's `/jwks.json`: fetched on first use, refetched after `ttl_seconds`, used up to
    `max_stale_seconds` after the last good fetch while the issuer is unreachable."""

    def __init__(
        self,
        url: str,
        *,
        ttl_seconds: float = 300.0,
        max_stale_seconds: float = 6 * 3600.0,
        min_refetch_seconds: float = 5.0,
        timeout_seconds: float = 5.0,
        cache: JwksCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.ttl_seconds = ttl_seconds
        self.max_stale_seconds = max_stale_seconds
        self.min_refetch_seconds = min_refetch_seconds
        self.timeout_seconds = timeout_seconds
        self._cache = cache
        self._transport = transport
        self._clock = clock
        self._keys: dict[str | None, jwk.Key] = {}
        self._fetched_at: float | None = None  # of the key set in `_keys`
        self._attempted_at: float | None = None  # of the last fetch, good or failed: the refetch rate limit
        self._last_error: str | None = None
        self._cache_read = cache is None
        self._lock = asyncio.Lock()

    async def signing_key(self, kid: str | None) -> jwk.Key:
        await self._read_cache()
        due = self._age() is None or self._age_above(self.ttl_seconds)
        # A refetch that is due but already running elsewhere (a slow or hanging issuer) is not waited for when the
        # set in hand is usable: token checks go on with it instead of queueing behind the fetch.
        if due and not (self._lock.locked() and self._fetched_at is not None):
            await self._refresh_if_allowed()
        self._check_not_too_stale()
        key = pick_key(self._keys, kid)
        if key is None and await self._refresh_if_allowed():
            key = pick_key(self._keys, kid)
        if key is None and self._last_error is not None and self._attempted_recently():
            # The key may be a new one we cannot fetch right now: the caller can retry, the token is not known bad.
            raise BackendUnavailableError(
                f"the token was signed with a key (kid {kid!r}) not in the issuer's last known key set, and "
                f"{self._last_error}"
            )
        if key is None:
            raise Unauthorized(f"the token was signed with a key the issuer does not publish (kid {kid!r})")
        return key

    def _age(self) -> float | None:
        return None if self._fetched_at is None else self._clock() - self._fetched_at

    def _age_above(self, seconds: float) -> bool:
        age = self._age()
        return age is not None and age > seconds

    def _attempted_recently(self) -> bool:
        return self._attempted_at is not None and self._clock() - self._attempted_at < self.min_refetch_seconds

    def _check_not_too_stale(self) -> None:
        if self._fetched_at is None:
            raise BackendUnavailableError(
                f"{self._last_error or 'the token issuer has not been reached yet'}; no key set was ever fetched, "
                "so no token can be checked"
            )
        if self._age_above(self.max_stale_seconds):
            raise BackendUnavailableError(
                f"{self._last_error or 'cannot reach the token issuer'}; the last key set fetched is "
                f"{self._age():.0f} s old, older than REXVET_AUTH_JWKS_MAX_STALE_SECONDS "
                f"({self.max_stale_seconds:.0f} s), so tokens are refused until the issuer answers"
            )

    async def _read_cache(self) -> None:
        if self._cache_read or self._cache is None:
            return
        async with self._lock:
            if self._cache_read:
                return
            try:
                known = await self._cache.load(self.url)
            except Exception:  # a store that is down only costs the fallback, never the token check
                log.warning("cannot read the kept token keys; fetching them from the issuer", exc_info=True)
                known = None
            self._cache_read = True
            if known is not None and self._fetched_at is None:
                self._keys = parse_jwks(known.document)
                self._fetched_at = known.fetched_at

    async def _refresh_if_allowed(self) -> bool:
        """Fetch the key set unless a fetch ran within `min_refetch_seconds`; True when a fetch succeeded now."""
        async with self._lock:  # one fetch at a time; waiters see its result instead of fetching again
            if self._attempted_recently():
                return False
            self._attempted_at = self._clock()
            try:
                document = await self._fetch()
            except BackendUnavailableError as exc:
                self._last_error = str(exc)
                if self._fetched_at is not None:
                    log.warning("%s; using the key set fetched %.0f s ago", exc, self._age())
                return False
            known = KnownJwks(document=document, fetched_at=self._clock())
            self._keys = parse_jwks(document)
            self._fetched_at = known.fetched_at
            self._last_error = None
        if self._cache is not None:
            try:
                await self._cache.save(self.url, known)
            except Exception:  # the key set is still good in memory; only a restart would miss it
                log.warning("cannot keep the token keys for a restart", exc_info=True)
        return True

    async def _fetch(self) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=self.timeout_seconds) as client:
                response = await client.get(self.url)
                response.raise_for_status()
                document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BackendUnavailableError(
                f"cannot fetch the token issuer's keys from {self.url} ({str(exc) or type(exc).__name__}); check "
                "REXVET_AUTH_JWKS_URL and that the issuer is running"
            ) from exc
        if not isinstance(document, dict) or not parse_jwks(document):
            raise BackendUnavailableError(
                f"the token issuer's key set at {self.url} holds no signature key; check REXVET_AUTH_JWKS_URL"
            )
        return document
