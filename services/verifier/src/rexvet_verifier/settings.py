"""The verifier service's settings: `REXVET_VERIFIER_*` beside the platform's `REXVET_*`."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from rexvet_common.settings import ServiceSettings, load_settings

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024


class VerifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REXVET_VERIFIER_", extra="ignore")

    service_name: str = "verifier"
    port: int = Field(8004, ge=1, le=65535, description="Port the verifier service listens on")
    consumer_group: str = Field("verifier", description="Its consumer group on the bus")
    max_body_bytes: int = Field(
        DEFAULT_MAX_BODY_BYTES,
        ge=1024,
        le=64 * 1024 * 1024,
        description="Largest request body /v1/verify, /credentials/verify and the page accept (a baked image "
        "included); larger bodies get 413",
    )
    allow_loopback_fetch: bool | None = Field(
        None,
        description="Let the guarded fetcher reach loopback addresses (127.0.0.0/8, ::1) over http, as the "
        "issuer of `make run` on 127.0.0.1:8003 needs; unset: yes in development, no in production, where "
        "true is refused",
    )

    # --- what anonymous callers may make it do (issue 15: bounded per request and in total) ----------------------
    status_list_cache_bytes: int = Field(
        32 * 1024 * 1024,
        ge=0,
        description="Decoded status lists kept in memory in all (bytes; least recently used out first)",
    )
    max_status_list_bytes: int = Field(
        2 * 1024 * 1024,
        ge=16 * 1024,
        le=16 * 1024 * 1024,
        description="Largest decoded status list used at all (bytes; 16 KiB is the specification's smallest list)",
    )
    status_list_max_ttl_seconds: int = Field(
        900, ge=0, description="Longest a fetched status list is kept, whatever `ttl` the list asks for (seconds)"
    )
    key_document_cache_bytes: int = Field(
        8 * 1024 * 1024, ge=0, description="Fetched controller documents (did:web, issuer profiles) kept in all (bytes)"
    )
    max_status_entries: int = Field(
        4, ge=1, le=32, description="Most credentialStatus entries one credential may list (more: a failed check)"
    )
    verification_deadline_seconds: float = Field(
        8.0,
        gt=0,
        le=120,
        description="Time for every fetch of one verification together (key documents, status lists, their keys)",
    )
    rate_limit_per_minute: int = Field(
        120,
        ge=0,
        description="Verifications one client may ask for per minute on the public endpoints (0: no limit)",
    )
    rate_limit_burst: int = Field(30, ge=1, description="How many of those a client may send at once")
    rate_limit_clients: int = Field(
        10_000, ge=1, description="Clients remembered by the rate limiter (least recently seen forgotten first)"
    )
    admission_target_lag_ms: float = Field(
        10.0,
        ge=0,
        description="Event-loop lag above which fewer verifications are let in at once (milliseconds; 0: no admission "
        "control)",
    )
    admission_min_concurrency: int = Field(
        4, ge=1, description="Verifications always let in at once, however late the event loop runs"
    )
    admission_max_concurrency: int = Field(256, ge=1, description="Most verifications let in at once")
    admission_max_wait_seconds: float = Field(
        10.0, gt=0, description="Longest a verification waits for its turn before it is answered 503 (seconds)"
    )
    admission_max_waiting: int = Field(
        1000, ge=1, description="Verifications that may wait for their turn at once; one more is answered 503 at once"
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks of the ingress: only from these peers is the client "
        "address read from X-Forwarded-For",
    )
    cpu_pool: Literal["process", "thread"] = Field(
        "process", description="Where image parsing and large canonicalisation run: a process pool or threads"
    )
    cpu_workers: int = Field(
        1, ge=1, le=64, description="Workers of that pool (at most this many jobs at once; leave a core to the server)"
    )
    heavy_work_nodes: int = Field(
        400,
        ge=1,
        description="Work estimate (JSON objects and properties of a credential) from which it is prepared in the pool",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks_parse(cls, value: str) -> str:
        for item in _items(value):
            ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(item, strict=False) for item in _items(self.trusted_proxies))

    @property
    def loopback_fetch_allowed(self) -> bool:
        if self.allow_loopback_fetch is None:
            return not self.platform.production
        return self.allow_loopback_fetch

    def production_problems(self) -> list[str]:
        # A public verifier that fetches loopback URLs named by a credential would probe its own host (SSRF).
        return ["REXVET_VERIFIER_ALLOW_LOOPBACK_FETCH"] if self.allow_loopback_fetch else []


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def load_verifier_settings() -> VerifierSettings:
    return load_settings(VerifierSettings)
