"""IPv6 forms that carry an IPv4 address are judged by that address (issue 15: 2002::/16 addresses embedding 10.0.0.1,
127.0.0.1 or 169.254.169.254 reached `connect()`). One case per form and per kind of IPv4 refused, through the
policy and through the fetcher, as an IP literal in the URL and as a name's DNS answer."""

from __future__ import annotations

import ipaddress

import pytest

from rexvet_credentials.fetch import GuardedFetcher
from rexvet_credentials.fetch_policy import FetchPolicy, address_refusal, embedded_ipv4

from .test_fetch import FakeResolver, refused_code

pytestmark = pytest.mark.unit

PRIVATE, LOOPBACK, LINK_LOCAL, METADATA = (
    "fetch_refused_private_address",
    "fetch_refused_loopback_address",
    "fetch_refused_link_local_address",
    "fetch_refused_metadata_address",
)

# (form, address, the IPv4 it carries, the refusal)
EMBEDDED = [
    ("6to4", "2002:a00:1::", "10.0.0.1", PRIVATE),
    ("6to4", "2002:7f00:1::1", "127.0.0.1", LOOPBACK),
    ("6to4", "2002:a9fe:101::", "169.254.1.1", LINK_LOCAL),
    ("6to4", "2002:a9fe:a9fe::", "169.254.169.254", METADATA),
    # Teredo: the server's IPv4 in bits 32-63, the client's inverted in the last 32 bits.
    ("Teredo", "2001:0:a00:1::", "10.0.0.1", PRIVATE),
    ("Teredo", "2001:0:808:808::80ff:fffe", "127.0.0.1", LOOPBACK),
    ("Teredo", "2001:0:808:808::5601:5601", "169.254.169.254", METADATA),
    ("NAT64", "64:ff9b::a00:1", "10.0.0.1", PRIVATE),
    ("NAT64", "64:ff9b::7f00:1", "127.0.0.1", LOOPBACK),
    ("NAT64", "64:ff9b::a9fe:a9fe", "169.254.169.254", METADATA),
    ("IPv4-mapped", "::ffff:a00:1", "10.0.0.1", PRIVATE),
    ("IPv4-mapped", "::ffff:a9fe:a9fe", "169.254.169.254", METADATA),
    ("IPv4-compatible", "::a00:1", "10.0.0.1", PRIVATE),
    ("IPv4-compatible", "::7f00:1", "127.0.0.1", LOOPBACK),
    ("IPv4-compatible", "::a9fe:a9fe", "169.254.169.254", METADATA),
]


@pytest.mark.parametrize(("form", "address", "ipv4", "code"), EMBEDDED)
def test_the_embedded_ipv4_is_found_and_judged(form: str, address: str, ipv4: str, code: str) -> None:
    parsed = ipaddress.IPv6Address(address)
    assert (form, ipaddress.IPv4Address(ipv4)) in embedded_ipv4(parsed)
    refusal = address_refusal(parsed, FetchPolicy())
    assert refusal is not None and refusal[0] == code, refusal
    assert form in refusal[1] and ipv4 in refusal[1], refusal  # the message says what was attempted


@pytest.mark.parametrize("address", ["64:ff9b:1::a00:1", "64:ff9b:1::808:808", "64:ff9b:1:ff::1"])
def test_the_local_use_nat64_prefix_is_refused_whole(address: str) -> None:
    # RFC 8215's prefix belongs to one network's own translator: never something a public document should name.
    refusal = address_refusal(ipaddress.IPv6Address(address), FetchPolicy())
    assert refusal is not None and refusal[0] == PRIVATE and "local-use NAT64" in refusal[1]


@pytest.mark.parametrize(("form", "address", "ipv4", "code"), EMBEDDED)
async def test_the_fetcher_refuses_them_as_literals(form: str, address: str, ipv4: str, code: str) -> None:
    assert await refused_code(GuardedFetcher(), f"https://[{address}]/status") == code


@pytest.mark.parametrize(("form", "address", "ipv4", "code"), EMBEDDED)
async def test_the_fetcher_refuses_them_as_dns_answers(form: str, address: str, ipv4: str, code: str) -> None:
    resolver = FakeResolver({"status.evil.example": [address]})
    assert await refused_code(GuardedFetcher(resolver=resolver), "https://status.evil.example/list") == code


@pytest.mark.parametrize("address", ["2002:808:808::1", "::ffff:808:808", "2606:4700:4700::1111"])
def test_forms_carrying_a_public_ipv4_and_plain_ipv6_are_not_refused_for_it(address: str) -> None:
    assert address_refusal(ipaddress.IPv6Address(address), FetchPolicy()) is None


def test_a_test_policy_that_opens_loopback_opens_its_embedded_forms_too_but_never_metadata() -> None:
    policy = FetchPolicy.for_local_tests()
    assert address_refusal(ipaddress.IPv6Address("::ffff:7f00:1"), policy) is None
    refusal = address_refusal(ipaddress.IPv6Address("2002:a9fe:a9fe::"), policy)
    assert refusal is not None and refusal[0] == METADATA
