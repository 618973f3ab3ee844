"""The guarded fetcher against a scripted server on 127.0.0.1 (the DocumentFetcher port's adapter)."""

from __future__ import annotations

import gzip
import ipaddress
import ssl
from collections.abc import Sequence
from pathlib import Path

import pytest

from rexvet_credentials.errors import FetchError
from rexvet_credentials.fetch import GuardedFetcher
from rexvet_credentials.fetch_policy import FetchPolicy, IPAddress
from rexvet_credentials.ports import DocumentFetcher

from ..scripted_server import Route, ScriptedServer

pytestmark = pytest.mark.contract


class FakeResolver:
    """A DNS stand-in (the fetcher's Resolver): host -> addresses, and a record of what was asked."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[IPAddress]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"NXDOMAIN {host}")
        return [ipaddress.ip_address(a) for a in self.table[host]]


async def refused_code(fetcher: GuardedFetcher, url: str) -> str:
    with pytest.raises(FetchError) as info:
        await fetcher.fetch(url)
    return info.value.code


def test_guarded_fetcher_is_a_document_fetcher() -> None:
    assert isinstance(GuardedFetcher(), DocumentFetcher)


async def test_fetches_a_document_with_its_media_type(http_server: ScriptedServer) -> None:
    http_server.routes["/list"] = Route(body=b'{"ok": true}', headers={"Content-Type": "application/vc+ld+json"})
    document = await GuardedFetcher(FetchPolicy.for_local_tests()).fetch(http_server.url("/list"))
    assert document.content == b'{"ok": true}'
    assert document.content_type == "application/vc+ld+json"
    assert document.url == http_server.url("/list")


async def test_decompresses_gzip_bodies(http_server: ScriptedServer) -> None:
    http_server.routes["/gz"] = Route(body=gzip.compress(b"hello" * 100), headers={"Content-Encoding": "gzip"})
    document = await GuardedFetcher(FetchPolicy.for_local_tests()).fetch(http_server.url("/gz"))
    assert document.content == b"hello" * 100


async def test_http_refused_by_default_policy(http_server: ScriptedServer) -> None:
    http_server.routes["/list"] = Route(body=b"{}")
    assert await refused_code(GuardedFetcher(), http_server.url("/list")) == "fetch_refused_scheme"
    assert http_server.hits == {}


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://127.0.0.1/x", "fetch_refused_loopback_address"),
        ("https://[::1]/x", "fetch_refused_loopback_address"),
        ("https://10.0.0.7/x", "fetch_refused_private_address"),
        ("https://192.168.0.1/x", "fetch_refused_private_address"),
        ("https://169.254.169.254/latest/meta-data/", "fetch_refused_metadata_address"),
        ("https://[::ffff:7f00:1]/x", "fetch_refused_loopback_address"),
        ("file:///etc/passwd", "fetch_refused_scheme"),
        ("ftp://example.org/x", "fetch_refused_scheme"),
        ("https://user:pw@example.org/x", "fetch_invalid_url"),
        ("https://0177.0.0.1/x", "fetch_invalid_url"),  # octal: httpx refuses to parse it
    ],
)
async def test_refuses_unsafe_urls(url: str, code: str) -> None:
    assert await refused_code(GuardedFetcher(), url) == code


async def test_refuses_a_name_that_resolves_to_a_private_address() -> None:
    resolver = FakeResolver({"status.evil.example": ["10.20.30.40"]})
    fetcher = GuardedFetcher(resolver=resolver)
    assert await refused_code(fetcher, "https://status.evil.example/list") == "fetch_refused_private_address"
    assert resolver.asked == ["status.evil.example"]


async def test_refuses_a_name_with_any_private_answer() -> None:
    # A public and a private answer: the connection could go to either, so the name is refused.
    resolver = FakeResolver({"mixed.example": ["93.184.215.14", "127.0.0.1"]})
    code = await refused_code(GuardedFetcher(resolver=resolver), "https://mixed.example/list")
    assert code == "fetch_refused_loopback_address"


async def test_real_dns_answer_for_localhost_is_refused() -> None:
    assert await refused_code(GuardedFetcher(), "https://localhost/x") == "fetch_refused_loopback_address"


@pytest.mark.parametrize("host", ["2130706433", "0x7f.0.0.1", "127.1"])
async def test_odd_spellings_of_loopback_are_refused_after_resolution(host: str) -> None:
    # Not IP literals to `ipaddress`, but the system resolver turns each into 127.0.0.1.
    assert await refused_code(GuardedFetcher(), f"https://{host}/x") == "fetch_refused_loopback_address"


async def test_unresolvable_host_is_a_dns_failure() -> None:
    fetcher = GuardedFetcher(resolver=FakeResolver({}))
    assert await refused_code(fetcher, "https://nowhere.example/x") == "fetch_dns_failed"


async def test_connects_to_the_address_it_validated(http_server: ScriptedServer) -> None:
    # The host name is resolved by the fetcher's resolver, not by the operating system: the connection goes to
    # the address that was checked.
    http_server.routes["/doc"] = Route(body=b"via validated ip")
    resolver = FakeResolver({"issuer.test": ["127.0.0.1"]})
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(), resolver=resolver)
    document = await fetcher.fetch(f"http://issuer.test:{http_server.port}/doc")
    assert document.content == b"via validated ip"
    assert resolver.asked == ["issuer.test"]


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("http://169.254.169.254/latest/meta-data/", "fetch_refused_metadata_address"),
        ("http://10.0.0.1/admin", "fetch_refused_private_address"),
        ("http://internal.example/admin", "fetch_refused_private_address"),
        ("file:///etc/passwd", "fetch_refused_scheme"),
    ],
)
async def test_redirect_to_a_refused_target_is_refused(http_server: ScriptedServer, location: str, code: str) -> None:
    http_server.routes["/start"] = Route(status=302, headers={"Location": location})
    resolver = FakeResolver({"internal.example": ["192.168.10.10"]})
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(), resolver=resolver)
    assert await refused_code(fetcher, http_server.url("/start")) == code
    assert http_server.hits == {"/start": 1}


async def test_redirect_to_http_is_refused_in_https_only_mode(http_server: ScriptedServer) -> None:
    # Only loopback is opened; http stays closed, so a redirect to http is refused at the hop.
    http_server.routes["/start"] = Route(status=301, headers={"Location": "http://example.org/list"})
    policy = FetchPolicy(allowed_networks=FetchPolicy.for_local_tests().allowed_networks)
    assert await refused_code(GuardedFetcher(policy), http_server.url("/start")) == "fetch_refused_scheme"


async def test_follows_allowed_redirects(http_server: ScriptedServer) -> None:
    http_server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    http_server.routes["/new"] = Route(body=b"moved here")
    document = await GuardedFetcher(FetchPolicy.for_local_tests()).fetch(http_server.url("/old"))
    assert document.content == b"moved here"
    assert document.url == http_server.url("/new")


async def test_redirect_loops_stop(http_server: ScriptedServer) -> None:
    http_server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(max_redirects=2))
    assert await refused_code(fetcher, http_server.url("/loop")) == "fetch_too_many_redirects"
    assert http_server.hits["/loop"] == 3


async def test_body_over_the_limit_is_refused(http_server: ScriptedServer) -> None:
    http_server.routes["/big"] = Route(body=b"x" * 5000)
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(max_bytes=1000))
    assert await refused_code(fetcher, http_server.url("/big")) == "fetch_too_large"


async def test_body_over_the_limit_without_content_length_is_refused(http_server: ScriptedServer) -> None:
    # Content-Length suppressed: the size check must happen while reading.
    http_server.routes["/big"] = Route(body=b"x" * 5000, headers={"Content-Length": "", "Connection": "close"})
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(max_bytes=1000))
    assert await refused_code(fetcher, http_server.url("/big")) == "fetch_too_large"


async def test_gzip_bomb_is_refused(http_server: ScriptedServer) -> None:
    bomb = gzip.compress(b"\0" * 10_000_000)
    http_server.routes["/bomb"] = Route(body=bomb, headers={"Content-Encoding": "gzip"})
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(max_bytes=100_000))
    assert len(bomb) < 100_000
    assert await refused_code(fetcher, http_server.url("/bomb")) == "fetch_too_large"


async def test_slow_server_times_out(http_server: ScriptedServer) -> None:
    http_server.routes["/slow"] = Route(body=b"late", delay_seconds=2.0)
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(timeout_seconds=0.3))
    assert await refused_code(fetcher, http_server.url("/slow")) == "fetch_timeout"


async def test_http_error_status_is_reported(http_server: ScriptedServer) -> None:
    with pytest.raises(FetchError) as info:
        await GuardedFetcher(FetchPolicy.for_local_tests()).fetch(http_server.url("/missing"))
    assert info.value.code == "fetch_http_status"
    assert "404" in info.value.message


async def test_connection_refused_is_reported() -> None:
    fetcher = GuardedFetcher(FetchPolicy.for_local_tests(timeout_seconds=2.0))
    # Port 9 (discard) on loopback is closed on these machines.
    assert await refused_code(fetcher, "http://127.0.0.1:9/x") == "fetch_connection_failed"


async def test_https_to_the_validated_address_checks_the_certificate_for_the_host_name(
    https_server: tuple[ScriptedServer, Path],
) -> None:
    server, certificate = https_server
    server.routes["/did.json"] = Route(body=b'{"id": "did:web:issuer.test"}')
    trust = ssl.create_default_context(cafile=str(certificate))
    loopback = FetchPolicy.for_local_tests().allowed_networks
    https_only = FetchPolicy(allowed_networks=loopback)  # allow_http stays False
    resolver = FakeResolver({"issuer.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    fetcher = GuardedFetcher(https_only, resolver=resolver, ssl_context=trust)
    document = await fetcher.fetch(f"https://issuer.test:{server.port}/did.json")
    assert document.content == b'{"id": "did:web:issuer.test"}'
    # Same address, another name: the certificate is not for it, so TLS refuses (the IP did not replace the name).
    assert await refused_code(fetcher, f"https://other.test:{server.port}/did.json") == "fetch_connection_failed"
    # Without trusting the test certificate, nothing is fetched either.
    untrusting = GuardedFetcher(https_only, resolver=resolver)
    assert await refused_code(untrusting, f"https://issuer.test:{server.port}/did.json") == "fetch_connection_failed"
