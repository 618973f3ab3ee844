"""The engine's injected seams: whatever touches time, keys, the network or trust comes in here.

All ports are async because the issuer and verifier services call the engine from their event loops and
adapters such as did:web resolution or status-list fetching do network I/O. Purely local adapters (did:key, an
in-memory registry, a fixed clock) simply never await. `verify_credential_sync` wraps the async API for
the CLI.

Adapters translate their own failures into the errors of `rexvet_credentials.errors`:
- a KeyResolver raises `KeyResolutionError` when the method definitely does not exist (check fails) and
  `KeyResolutionUnavailable` when it could not find out (check is "not checked", report "incomplete");
- a DocumentFetcher raises `FetchError`;
- a StatusChecker never raises for an expected outcome: it returns a `StatusResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

PublicKey = Ed25519PublicKey | EllipticCurvePublicKey | RSAPublicKey


@runtime_checkable
class Clock(Protocol):
    """The current time. Injected so that verification is reproducible (`--now`) and testable."""

    def now(self) -> datetime:
        """A timezone-aware datetime (UTC)."""
        ...


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    """A verification method found by a KeyResolver.

    `controller` is what the key-binding check compares with the credential's issuer id; `method_type` is the
    verification method's type as published (`Multikey`, `Ed25519VerificationKey2020`, `JsonWebKey`, ...).
    `purposes` lists the verification relationships of the controller document that reference this method
    (for example `assertionMethod`); None means the resolver cannot tell (a bare key), which callers treat as
    permitted only for did:key, whose document grants every relationship.
    """

    id: str
    controller: str
    public_key: PublicKey
    method_type: str = "Multikey"
    purposes: frozenset[str] | None = None


@runtime_checkable
class KeyResolver(Protocol):
    """Verification method id (a DID URL or https URL with fragment) -> public key and controller."""

    async def resolve(self, verification_method: str) -> ResolvedKey:
        """Raise KeyResolutionError (definitely not usable) or KeyResolutionUnavailable (try again later)."""
        ...


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    """Bytes fetched from a URL, with the media type the server announced (None when it gave none)."""

    url: str
    content: bytes
    content_type: str | None = None


@runtime_checkable
class DocumentFetcher(Protocol):
    """URL -> bytes, through one guarded path (https only in production, no private addresses, size and
    time limits).

    Used for did:web documents, status list credentials and hosted documents. Never used for JSON-LD contexts:
    those come only from the pinned offline loader.
    """

    async def fetch(self, url: str, *, accept: str = "application/json") -> FetchedDocument:
        """Raise FetchError with a message naming the URL when the document cannot be retrieved."""
        ...


class StatusOutcome(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    COULD_NOT_CHECK = "could_not_check"


@dataclass(frozen=True, slots=True)
class StatusResult:
    """The answer for one `credentialStatus` entry.

    `code` is stable snake_case (e.g. `status_active`, `status_revoked`, `status_list_unreachable`,
    `status_list_proof_invalid`); `message` is for humans. A list that cannot be fetched or verified is
    COULD_NOT_CHECK, never ACTIVE.
    """

    outcome: StatusOutcome
    code: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)


# Real credentials carry one or two status entries (revocation and suspension: the OB 3.0 and Bitstring Status List
# examples, and what rexvet's issuer writes); four leaves room for the `refresh` and `message` purposes. More is
# refused before anything is fetched: each entry is a fetch (and a list proof) that an anonymous caller chooses.
MAX_STATUS_ENTRIES = 4


@runtime_checkable
class StatusChecker(Protocol):
    """Looks up one `credentialStatus` entry (BitstringStatusListEntry, 1EdTechRevocationList, ...).

    A checker may carry a `max_entries` attribute: the most entries one credential may list (`MAX_STATUS_ENTRIES`
    when it has none); the `status` check refuses a credential with more before checking any.
    """

    async def check(self, credential: Mapping[str, Any], entry: Mapping[str, Any]) -> StatusResult:
        """`credential` is the whole verified credential (some schemes need its id or issuer)."""
        ...


@dataclass(frozen=True, slots=True)
class TrustedIssuer:
    """A registered consortium member."""

    id: str
    name: str | None = None


@runtime_checkable
class TrustedIssuerRegistry(Protocol):
    """Is the issuer a registered consortium member? Not being one is a warning-level failed check."""

    async def lookup(self, issuer_id: str) -> TrustedIssuer | None:
        """The registry entry for `issuer_id`, or None when the issuer is not registered."""
        ...
