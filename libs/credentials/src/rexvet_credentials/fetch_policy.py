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


# IPv6 forms that carry an IPv4 address a packet is delivered to (or through): each is judged by that IPv4 too.
IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated (RFC 4291), still routed by some stacks
SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")  # RFC 3056: bits 16-47 are the IPv4 address
TEREDO = ipaddress.IPv6Network("2001::/32")  # RFC 4380: the server's IPv4, and the client's (inverted)
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4 address
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: a network's own translator, never public


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses that `address` embeds, each with the name of its form (none for a plain IPv6 address)."""
    last_32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        return [("IPv4-mapped", address.ipv4_mapped)]
    if address in IPV4_COMPATIBLE and int(address) > 1:  # not :: nor ::1, which are IPv6's own
        return [("IPv4-compatible", last_32)]
    if address.sixtofour is not None:
        return [("6to4", address.sixtofour)]
    if address.teredo is not None:
        server, client = address.teredo
        return [("Teredo", server), ("Teredo", client)]
    if address in NAT64_WELL_KNOWN:
        return [("NAT64", last_32)]
    return []


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
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64_LOCAL_USE:
            return "fetch_refused_private_address", f"{address} is in the local-use NAT64 prefix {NAT64_LOCAL_USE}"
        carried = embedded_ipv4(address)
        for form, ipv4 in carried:
            # ::ffff:10.0.0.1, 2002:0a00:0001::, 64:ff9b::10.0.0.1... reach the IPv4 they carry: judge that one.
            refusal = address_refusal(ipv4, policy)
            if refusal is not None:
                code, reason = refusal
                return code, f"{address} ({form}) reaches {ipv4}: {reason}"
        if address.ipv4_mapped is not None or (carried and not (address.is_loopback or address.is_unspecified)):
            # What it reaches is the IPv4 it carries, judged above. Python's own lists for these IPv6 prefixes are no
            # guide: they differ between patch releases (3.11.2 counts all of 2002::/16 private, 3.11.7 does not).
            return None
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
