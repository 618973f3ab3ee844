"""The network-facing ports of a verifier, wired together: one guarded fetcher behind key resolution (did:web,
https controller documents) and status checking (Bitstring Status List, 1EdTechRevocationList)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rexvet_credentials.didweb import DEFAULT_MAX_DOCUMENT_BYTES, WebKeyResolver
from rexvet_credentials.fetch import GuardedFetcher
from rexvet_credentials.fetch_policy import FetchPolicy
from rexvet_credentials.ports import MAX_STATUS_ENTRIES, Clock, DocumentFetcher, StatusChecker
from rexvet_credentials.status.bitstring import MAX_DECODED_BYTES
from rexvet_credentials.status.checker import (
    DEFAULT_CACHE_BYTES,
    DEFAULT_MAX_TTL,
    BitstringStatusChecker,
    StatusCheckerByType,
    StatusListCache,
)
from rexvet_credentials.status.revocation_list import RevocationListChecker
from rexvet_credentials.status.suspension_sibling import SuspensionSiblingChecker
from rexvet_credentials.status_list_proof import list_proof_verifier


@dataclass(frozen=True, slots=True)
class NetworkLimits:
    """What the network ports keep (bytes, decoded), for how long at most, and how many status entries they check."""

    status_list_bytes: int = DEFAULT_CACHE_BYTES
    largest_status_list_bytes: int = MAX_DECODED_BYTES
    status_list_max_ttl: timedelta = DEFAULT_MAX_TTL
    key_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    status_entries: int = MAX_STATUS_ENTRIES


@dataclass(frozen=True, slots=True)
class NetworkPorts:
    fetcher: DocumentFetcher
    key_resolver: WebKeyResolver
    status_checker: StatusChecker
    status_cache: StatusListCache


def network_ports(
    clock: Clock,
    *,
    policy: FetchPolicy | None = None,
    fetcher: DocumentFetcher | None = None,
    did_web_http_on_loopback: bool | None = None,
    limits: NetworkLimits | None = None,
) -> NetworkPorts:
    """Ports for `verify_credential` / `verify_vc_jwt` that reach the network, only through the guarded fetcher.

    `did_web_http_on_loopback` (default: what `policy` allows, http to loopback) reads a did:web on 127.0.0.1 or
    localhost over http, as development's issuer serves it (did:web knows only https).

    The status checker also reads the suspension list beside a rexvet revocation list (status/suspension_sibling.py).

    Keep one instance per process: the key documents and status lists it caches are shared by every verification.
    """
    limits = limits or NetworkLimits()
    guarded = fetcher if fetcher is not None else GuardedFetcher(policy)
    if did_web_http_on_loopback is None:
        did_web_http_on_loopback = policy is not None and policy.allow_http and bool(policy.allowed_networks)
    resolver = WebKeyResolver(
        guarded, clock, did_web_http_on_loopback=did_web_http_on_loopback, max_bytes=limits.key_document_bytes
    )
    cache = StatusListCache(limits.status_list_bytes)
    verify_list = list_proof_verifier(resolver, clock)
    bitstring = BitstringStatusChecker(
        guarded,
        verify_list,
        clock,
        cache=cache,
        max_ttl=limits.status_list_max_ttl,
        max_list_bytes=limits.largest_status_list_bytes,
    )
    checker = StatusCheckerByType(
        {
            "BitstringStatusListEntry": bitstring,
            "1EdTechRevocationList": RevocationListChecker(guarded, verify_list),
        },
        max_entries=limits.status_entries,
    )
    with_suspension = SuspensionSiblingChecker(checker)
    return NetworkPorts(guarded, resolver, with_suspension, cache)
