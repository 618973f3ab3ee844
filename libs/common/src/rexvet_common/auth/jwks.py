"""Where token-verification keys come from: the issuer's JWKS over HTTP (cached), or a key set held in memory.

The remote source is async (a service must not block its event loop on the issuer, and the issuer verifying its own
tokens must not call itself synchronously). An unknown `kid` triggers one refetch, so rotated keys are picked up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx
from joserfc import jwk
from joserfc.errors import JoseError

from rexvet_common.errors import BackendUnavailableError
from rexvet_common.problems import Unauthorized


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


class RemoteJwks:
    """The issuer's `/jwks.json`, fetched on first use and cached for `ttl_seconds`."""

    def __init__(
        self,
        url: str,
        *,
        ttl_seconds: float = 300.0,
        min_refetch_seconds: float = 5.0,
        timeout_seconds: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.ttl_seconds = ttl_seconds
        self.min_refetch_seconds = min_refetch_seconds
        self.timeout_seconds = timeout_seconds
        self._transport = transport
        self._keys: dict[str | None, jwk.Key] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def signing_key(self, kid: str | None) -> jwk.Key:
        if self._fetched_at is None or time.monotonic() - self._fetched_at > self.ttl_seconds:
            await self._refresh()
        key = pick_key(self._keys, kid)
        fetched_at = self._fetched_at
        if key is None and fetched_at is not None and time.monotonic() - fetched_at >= self.min_refetch_seconds:
            await self._refresh()
            key = pick_key(self._keys, kid)
        if key is None:
            raise Unauthorized(f"the token was signed with a key the issuer does not publish (kid {kid!r})")
        return key

    async def _refresh(self) -> None:
        async with self._lock:
            try:
                async with httpx.AsyncClient(transport=self._transport, timeout=self.timeout_seconds) as client:
                    response = await client.get(self.url)
                    response.raise_for_status()
                    document = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise BackendUnavailableError(
                    f"cannot fetch the token issuer's keys from {self.url} ({exc}); check REXVET_AUTH_JWKS_URL "
                    "and that the issuer is running"
                ) from exc
            self._keys = parse_jwks(document)
            self._fetched_at = time.monotonic()
