"""What the guarded fetcher may reach: schemes, addresses, sizes and times.

Everything fetched on behalf of an untrusted document (did:web, status lists, hosted credentials) is a request
an attacker chose the URL of. The policy refuses any address that is not globally routable, so a credential
cannot make a verifier probe its own network (SSRF) or a cloud metadata endpoint.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud instance-metadata endpoints, named separately so the refusal says what was attempted.
# (Most of them are link-local or private anyway; the list only sharpens the error code.)
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack...
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
    }
)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits of the guarded fetcher.

    `allow_http` and `allowed_networks` exist for tests and local development (a status-list server on
    127.0.0.1); production keeps the defaults: https only and globally routable addresses only.
    """

    allow_http: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()
    max_bytes: int = 2 * 1024 * 1024
    timeout_seconds: float = 10.0
    max_redirects: int = 3
    user_agent: str = "rexvet-verifier/0.1 (+guarded fetcher)"

    @classmethod
    def for_local_tests(cls, **overrides: object) -> FetchPolicy:
        """http allowed and loopback reachable: for test servers on 127.0.0.1 only."""
        base: dict[str, object] = {
            "allow_http": True,
            "allowed_networks": (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")),
        }
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]

    def allowed_schemes(self) -> frozenset[str]:
        return frozenset({"https", "http"}) if self.allow_http else frozenset({"https"})


def address_refusal(address: IPAddress, policy: FetchPolicy) -> tuple[str, str] | None:
    """(code, reason) when `address` must not be contacted, None when it may.

    An explicitly allowed network (tests) wins over every other rule except metadata endpoints.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        # ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address it maps to.
        return address_refusal(address.ipv4_mapped, policy)
    if address in METADATA_ADDRESSES:
        return "fetch_refused_metadata_address", f"{address} is a cloud metadata endpoint"
    if any(address in network for network in policy.allowed_networks):
        return None
    if address.is_loopback:
        return "fetch_refused_loopback_address", f"{address} is a loopback address"
    if address.is_link_local:
        return "fetch_refused_link_local_address", f"{address} is a link-local address"
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return "fetch_refused_reserved_address", f"{address} is not a unicast address"
    if address.is_private or not address.is_global:
        return "fetch_refused_private_address", f"{address} is a private or non-routable address"
    return None
