"""Per-client rate limits on the public endpoints: 429 problem+json with Retry-After, the client read from
X-Forwarded-For only when the connection comes from a trusted proxy."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import httpx
import pytest

from rexvet_verifier.api.rate_limits import RateLimiter, client_address

from .credentials import signed
from .harness import assert_problem, verifier_service

pytestmark = pytest.mark.unit

# httpx's ASGI transport connects from 127.0.0.1
LIMITS: dict[str, Any] = {"rate_limit_per_minute": 60, "rate_limit_burst": 2}


async def post(client: httpx.AsyncClient, forwarded_for: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return await client.post("/v1/verify", json=signed(), headers=headers)


async def test_a_client_past_its_burst_gets_429_with_retry_after(tmp_path: Path) -> None:
    async with verifier_service(tmp_path, **LIMITS) as service:
        assert [(await post(service.client)).status_code for _ in range(2)] == [200, 200]
        refused = await post(service.client)
        body = assert_problem(refused, 429, "rate_limited")
        assert refused.headers["Retry-After"] == "1"  # one token a second at 60 a minute
        assert body["retry_after"] == 1
        # the pages that do no work, and the health checks, stay open
        assert (await service.client.get("/healthz")).status_code == 200
        assert (await service.client.get("/")).status_code == 200
        assert (await service.client.get("/v1/verify", params={"url": "https://x.example/c"})).status_code == 429
        assert (await service.client.post("/credentials/verify", json={"verifiableCredential": {}})).status_code == 429


async def test_forwarded_for_from_an_untrusted_peer_does_not_make_a_new_client(tmp_path: Path) -> None:
    async with verifier_service(tmp_path, **LIMITS) as service:
        answers = [(await post(service.client, f"203.0.113.{n}")).status_code for n in range(3)]
    assert answers == [200, 200, 429]


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket(tmp_path: Path) -> None:
    async with verifier_service(tmp_path, trusted_proxies="127.0.0.0/8, 10.0.0.0/8", **LIMITS) as service:
        different = [(await post(service.client, f"203.0.113.{n}, 10.1.2.3")).status_code for n in range(4)]
        same = [(await post(service.client, "198.51.100.7")).status_code for _ in range(3)]
        # a client cannot escape its bucket by prepending addresses: the proxy appends the real one
        spoofed = [(await post(service.client, f"192.0.2.{n}, 198.51.100.7")).status_code for n in range(2)]
    assert different == [200, 200, 200, 200]
    assert same == [200, 200, 429]
    assert spoofed == [429, 429]


def test_the_client_address_is_the_first_hop_no_trusted_proxy_added() -> None:
    proxies = [ipaddress.ip_network("10.0.0.0/8")]
    assert client_address("10.0.0.5", "198.51.100.7, 10.0.0.9", proxies) == "198.51.100.7"
    assert client_address("10.0.0.5", "garbage, 198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("203.0.113.9", "198.51.100.7", proxies) == "203.0.113.9"  # not from a proxy
    assert client_address("10.0.0.5", "10.0.0.8", proxies) == "10.0.0.8"  # only proxies: the first of them


def test_the_limiter_forgets_the_least_recently_seen_clients_beyond_its_bound() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=1, max_clients=100, monotonic=lambda: now[0])
    for n in range(1000):
        assert limiter.take(f"client-{n}") is None
    assert len(limiter) == 100
    assert limiter.take("client-999") == pytest.approx(1.0)  # still remembered: empty, a second to wait
    now[0] += 1.0
    assert limiter.take("client-999") is None  # refilled
