"""Bitstring Status Lists per institution: index allocation, status bits, and the signed list credentials.

One document per list (131,072 entries) holds which indexes are taken, the revocation and the suspension bits, and
both list credentials as signed and served. A credential's random index is the same in its institution's
revocation and suspension lists of one number. Every change is a compare-and-swap of that one document, and a
changed list is re-signed in the same write, so what is served always matches the bits.

Each list is published twice, the same bits signed under each of the institution's identities: under its did:web
at `/v1/issuers/<institution>/status-lists/<n>/<purpose>` (what credentials issued under the did:web point to), and
under its Profile URL at `/v1/issuers/<institution>/status/<n>/<purpose>` (what the credentials issued before the
did:web point to: a verifier checks that a list's issuer is the credential's). A list stored before the did:web
has no did:web copy yet (`did_credentials`): it is signed when first asked for, and kept.

Allocation is idempotent per reservation key (the eligibility): a retried issuance gets the index it was given
before instead of taking a second one. The last `RECENT_WINDOW` reservations are remembered; an issuance retried
later than that (after hundreds of others in the same institution) takes a new index, leaving the first unused.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from rexvet_common.errors import DocumentNotFoundError, DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import Document, DocumentStore, Index, SortOrder
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.allocation import StatusListFull, allocate_index
from rexvet_credentials.status.bitstring import MIN_ENTRIES, Bitstring
from rexvet_credentials.status.list_credential import build_list_credential, status_entry

Purpose = Literal["revocation", "suspension"]
# "did": the institution's did:web (credentials issued since it); "profile": its Profile URL (those issued before)
Identity = Literal["did", "profile"]
# (institution, identity) -> the key its lists are signed with: its issuer's active key, controlled by that identity
ListKey = Callable[[str, Identity], Awaitable[Ed25519SigningKey]]
# where each identity's signed lists are stored in a list's document (`credentials`: the field lists always had)
SIGNED_FIELD: dict[Identity, str] = {"profile": "credentials", "did": "did_credentials"}
IDENTITIES: tuple[Identity, ...] = ("did", "profile")

COLLECTION = "status_lists"
INDEXES = (Index(("institution", "full", "number")),)
PURPOSES: tuple[Purpose, ...] = ("revocation", "suspension")
RECENT_WINDOW = 1000
MAX_CAS_ATTEMPTS = 50


@dataclass(frozen=True)
class Allocation:
    institution: str
    number: int
    index: int

    @property
    def list_id(self) -> str:
        return list_id(self.institution, self.number)


def list_id(institution: str, number: int) -> str:
    return f"{institution}:{number}"


class _Taken:
    """The allocated bitstring seen as a container of indexes (what `allocate_index` asks for)."""

    def __init__(self, bits: Bitstring) -> None:
        self.bits = bits

    def __contains__(self, index: object) -> bool:
        return isinstance(index, int) and self.bits.get(index)


class StatusLists:
    def __init__(
        self,
        documents: DocumentStore,
        *,
        base_url: str,
        signing_key: ListKey,
        ttl: timedelta,
        size: int = MIN_ENTRIES,
    ) -> None:
        self.documents = documents
        self.base_url = base_url.rstrip("/")
        self.signing_key = signing_key
        self.ttl = ttl
        self.size = size
        self._allocating: dict[str, asyncio.Lock] = {}

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    def url(self, institution: str, number: int, purpose: Purpose, identity: Identity = "did") -> str:
        folder = "status-lists" if identity == "did" else "status"
        return f"{self.base_url}/v1/issuers/{institution}/{folder}/{number}/{purpose}"

    def entry(self, allocation: Allocation, purpose: Purpose = "revocation") -> dict[str, str]:
        """The credential's `credentialStatus`: its revocation entry (or, asked for through the VC-API, the entry
        of the same index in the suspension list).

        OB 3.0 allows one status entry per credential, so credentials point at the revocation list only; the
        suspension list at the same index is published beside it for verifiers that know this issuer's layout
        (`{list}/suspension`), and suspensions are also announced as `badge.suspended` events.
        """
        return status_entry(self.url(allocation.institution, allocation.number, purpose), allocation.index, purpose)

    def lists_prefix(self, institution: str) -> str:
        """What every status list URL of `institution` starts with (under either identity)."""
        return f"{self.base_url}/v1/issuers/{institution}/status"

    async def allocate(self, institution: str, reservation: str) -> Allocation:
        # One allocation at a time per institution in this process. The consumer works on several partitions at
        # once, and concurrent allocations only made each other's compare-and-swap fail and start over, each retry
        # re-reading, re-encoding and re-writing the whole list (tens of KB). Replicas still race each other, and
        # the compare-and-swap keeps them apart.
        async with self._allocating.setdefault(institution, asyncio.Lock()):
            return await self._allocate(institution, reservation)

    async def _allocate(self, institution: str, reservation: str) -> Allocation:
        for _ in range(MAX_CAS_ATTEMPTS):
            document = await self._open_list(institution)
            # {"r": reservation, "i": index} objects: FerretDB refuses arrays inside arrays.
            recent = {pair["r"]: pair["i"] for pair in document.get("recent") or []}
            if reservation in recent:
                return Allocation(institution, document["number"], int(recent[reservation]))
            taken = Bitstring.decode(document["allocated"], min_entries=self.size)
            try:
                index = allocate_index(_Taken(taken), taken.length, taken_count=document["taken"])
            except StatusListFull:
                await self._mark_full(document)
                continue
            taken.set(index)
            pairs = [*(document.get("recent") or []), {"r": reservation, "i": index}][-RECENT_WINDOW:]
            count = document["taken"] + 1
            updated = {
                **document,
                "allocated": taken.encode(),
                "taken": count,
                "full": count >= taken.length,
                "recent": pairs,
            }
            try:
                await self.documents.replace(COLLECTION, updated)
            except (VersionConflictError, DocumentNotFoundError):
                continue
            return Allocation(institution, document["number"], index)
        raise VersionConflictError(f"the status lists of {institution!r} kept changing; the issuance will be retried")

    async def set_status(self, allocation: Allocation, purpose: Purpose, value: bool) -> bool:
        """Set or clear the bit and re-sign that list; False when it already had that value."""
        for _ in range(MAX_CAS_ATTEMPTS):
            document = await self.documents.get(COLLECTION, allocation.list_id)
            if document is None:
                raise LookupError(f"no status list {allocation.list_id}")
            bits = Bitstring.decode(document["bits"][purpose], min_entries=self.size)
            if bits.get(allocation.index) == value:
                return False
            bits.set(allocation.index, value)
            updated = {**document, "bits": {**document["bits"], purpose: bits.encode()}}
            for identity in IDENTITIES:
                field = SIGNED_FIELD[identity]
                signed = await self._signed(allocation.institution, document["number"], purpose, bits, identity)
                updated[field] = {**(document.get(field) or {}), purpose: signed}
            try:
                await self.documents.replace(COLLECTION, updated)
            except (VersionConflictError, DocumentNotFoundError):
                continue
            return True
        raise VersionConflictError(f"the status list {allocation.list_id} kept changing; try again")

    async def list_credential(
        self, institution: str, number: int, purpose: Purpose, identity: Identity = "did"
    ) -> dict[str, Any] | None:
        for _ in range(MAX_CAS_ATTEMPTS):
            document = await self.documents.get(COLLECTION, list_id(institution, number))
            if document is None:
                return None
            field = SIGNED_FIELD[identity]
            found: dict[str, Any] | None = (document.get(field) or {}).get(purpose)
            if found is not None:
                return found
            # A list stored before the did:web: its did:web copy is signed now, from the stored bits, and kept.
            bits = Bitstring.decode(document["bits"][purpose], min_entries=self.size)
            signed = await self._signed(institution, number, purpose, bits, identity)
            try:
                await self.documents.replace(
                    COLLECTION, {**document, field: {**(document.get(field) or {}), purpose: signed}}
                )
            except (VersionConflictError, DocumentNotFoundError):
                continue  # changed meanwhile (a revocation re-signed it): read it again
            return signed
        raise VersionConflictError(f"the status list {institution}:{number} kept changing; try again")

    async def _open_list(self, institution: str) -> Document:
        """The institution's first list with free indexes, created (signed, empty) when there is none."""
        for _ in range(MAX_CAS_ATTEMPTS):
            page = await self.documents.find(
                COLLECTION,
                {"institution": institution, "full": False},
                sort=[("number", SortOrder.ASCENDING)],
                limit=1,
            )
            if page.items:
                return page.items[0]
            number = await self.documents.count(COLLECTION, {"institution": institution}) + 1
            try:
                return await self.documents.insert(COLLECTION, await self._new_list(institution, number))
            except DuplicateKeyError:
                continue  # another writer created that number first: look again
        raise VersionConflictError(f"could not open a status list for {institution!r}")

    async def _mark_full(self, document: Document) -> None:
        # someone else changed it meanwhile: the next round reads it again
        with contextlib.suppress(VersionConflictError, DocumentNotFoundError):
            await self.documents.replace(COLLECTION, {**document, "full": True})

    async def _new_list(self, institution: str, number: int) -> Document:
        empty = Bitstring(self.size)
        signed = {
            SIGNED_FIELD[identity]: {
                purpose: await self._signed(institution, number, purpose, empty, identity) for purpose in PURPOSES
            }
            for identity in IDENTITIES
        }
        return {
            "_id": list_id(institution, number),
            "institution": institution,
            "number": number,
            "full": False,
            "taken": 0,
            "allocated": empty.encode(),
            "recent": [],
            "bits": {purpose: empty.encode() for purpose in PURPOSES},
            **signed,
        }

    async def _signed(
        self, institution: str, number: int, purpose: Purpose, bits: Bitstring, identity: Identity
    ) -> dict[str, Any]:
        key = await self.signing_key(institution, identity)
        unsigned = build_list_credential(
            list_url=self.url(institution, number, purpose, identity),
            issuer=key.controller,
            purpose=purpose,
            bitstring=bits,
            valid_from=datetime.now(UTC),
            ttl=self.ttl,
        )
        return sign_credential(unsigned, key)
