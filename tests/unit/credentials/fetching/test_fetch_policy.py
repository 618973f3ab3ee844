"""Which addresses the guarded fetcher may contact."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexvet_credentials.fetch_policy import FetchPolicy, address_refusal

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("127.0.0.1", "fetch_refused_loopback_address"),
        ("::1", "fetch_refused_loopback_address"),
        ("10.1.2.3", "fetch_refused_private_address"),
        ("172.16.0.9", "fetch_refused_private_address"),
        ("192.168.1.1", "fetch_refused_private_address"),
        ("100.64.0.1", "fetch_refused_private_address"),  # carrier-grade NAT, not global
        ("fd12:3456::1", "fetch_refused_private_address"),
        ("169.254.1.1", "fetch_refused_link_local_address"),
        ("fe80::1", "fetch_refused_link_local_address"),
        ("169.254.169.254", "fetch_refused_metadata_address"),
        ("100.100.100.200", "fetch_refused_metadata_address"),
        ("fd00:ec2::254", "fetch_refused_metadata_address"),
        ("0.0.0.0", "fetch_refused_reserved_address"),
        ("224.0.0.1", "fetch_refused_reserved_address"),
        ("::ffff:127.0.0.1", "fetch_refused_loopback_address"),  # IPv4-mapped IPv6 is judged as IPv4
        ("::ffff:10.0.0.1", "fetch_refused_private_address"),
    ],
)
def test_non_public_addresses_are_refused(address: str, code: str) -> None:
    refusal = address_refusal(ipaddress.ip_address(address), FetchPolicy())
    assert refusal is not None
    assert refusal[0] == code


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address), FetchPolicy()) is None


def test_test_policy_opens_loopback_only() -> None:
    policy = FetchPolicy.for_local_tests()
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), policy) is None
    assert address_refusal(ipaddress.ip_address("10.0.0.1"), policy) is not None
    # Metadata endpoints stay closed even when a test opens their network.
    opened = FetchPolicy(allowed_networks=(ipaddress.ip_network("169.254.0.0/16"),))
    refusal = address_refusal(ipaddress.ip_address("169.254.169.254"), opened)
    assert refusal is not None and refusal[0] == "fetch_refused_metadata_address"


def test_https_only_by_default() -> None:
    assert FetchPolicy().allowed_schemes() == frozenset({"https"})
    assert FetchPolicy.for_local_tests().allowed_schemes() == frozenset({"http", "https"})


PRIVATE_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"]


@given(network=st.sampled_from(PRIVATE_V4), offset=st.integers(min_value=0, max_value=2**24 - 1))
def test_every_address_of_the_private_ranges_is_refused(network: str, offset: int) -> None:
    net = ipaddress.ip_network(network)
    address = net.network_address + (offset % net.num_addresses)
    assert address_refusal(address, FetchPolicy()) is not None
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert address_refusal(mapped, FetchPolicy()) is not None
