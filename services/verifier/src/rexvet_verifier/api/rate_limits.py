"""Per-client rate limits on what anonymous callers can ask of the verifier: a token bucket per client address.

Each client has a bucket of `burst` tokens refilled at `per_minute / 60` a second; a verification takes one, and a
client whose bucket is empty is told when the next token comes (Retry-After). The buckets live in an LRU of at most
`max_clients`: a flood from many addresses evicts the least recently seen, so memory stays bounded (an evicted
client starts again with a full bucket, which is the price of the bound).

Per instance: with several replicas each counts on its own, so a client may get up to replicas x the rate. That
is acceptable here (the limits bound work per instance, which is what they protect); a shared count would need a
store round trip on every anonymous request.

The client address is the connection's peer, except when the peer is one of the trusted proxies (the ingress):
then it is the right-most address of `X-Forwarded-For` that is not itself a trusted proxy. Any other peer's
`X-Forwarded-For` is ignored, since anyone can send the header.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(
        self,
        *,
        per_minute: int,
        burst: int,
        max_clients: int = 10_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute < 1 or burst < 1 or max_clients < 1:
            raise ValueError("per_minute, burst and max_clients must be at least 1")
        self._rate = per_minute / 60.0
        self._burst = float(burst)
        self._max_clients = max_clients
        self._monotonic = monotonic
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, client: str) -> float | None:
        """None when `client` may go on (a token taken), else the seconds until it may try again."""
        now = self._monotonic()
        bucket = self._buckets.get(client)
        if bucket is None:
            bucket = self._buckets[client] = _Bucket(self._burst, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(client)
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / self._rate

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after_header(seconds: float) -> str:
    """Whole seconds, rounded up (a client retrying after that many gets a token), at least 1."""
    return str(max(1, math.ceil(seconds)))


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """Who is asking: the peer, or from a trusted proxy's `X-Forwarded-For` the first address it did not add."""
    if peer is None:
        return "unknown"
    if not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    client = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not _parses(hop):
            break  # garbage from further left than any proxy we trust wrote: the last good hop is the client
        client = hop
        if not _is_trusted(hop, trusted):
            break
    return client


def _parses(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)
