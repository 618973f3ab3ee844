"""Issued credentials: one record per eligibility, written once with its `badge.issued` event (outbox).

The record's `_id` is (institution, eligibility id), so the store's unique `_id` makes issuing idempotent: a
redelivered or duplicated `badge.eligible` finds the stored record (or loses the insert race to it) and emits
nothing. The credential is built and signed before that single insert; a failure on the way stores nothing
(a status-list index reserved for the eligibility is reused when the event is retried).

Revocation and suspension change the status bit and then the record (with its event) by compare-and-swap; each is
idempotent, so a retried request completes a change that was interrupted between the two writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rexvet_common.errors import DocumentNotFoundError, DuplicateKeyError, VersionConflictError
from rexvet_common.events.catalogue import BADGE_ISSUED, BadgeEligible, BadgeIssued
from rexvet_common.events.envelope import partition_key
from rexvet_common.messaging.outbox import OUTBOX_INDEX
from rexvet_common.ports.document_store import Document, DocumentStore, Index, Page, Scalar, SortOrder
from rexvet_credentials.sign import sign_credential
from rexvet_issuer.application.credential_status import Action, status_changed
from rexvet_issuer.application.events import ISSUER_EVENTS
from rexvet_issuer.application.issuers import IssuerRegistry
from rexvet_issuer.application.status_lists import Allocation, Identity, Purpose, StatusLists
from rexvet_issuer.domain.credential import CredentialParts, build_credential

COLLECTION = "credentials"
INDEXES = (
    Index(("credential_uuid",), unique=True),
    Index(("institution", "staff_id", "issued_order")),
    Index(("institution", "issued_order")),
    OUTBOX_INDEX,
)
MAX_CAS_ATTEMPTS = 20


@dataclass(frozen=True)
class Issuance:
    record: Document
    created: bool  # False: this eligibility had its credential already


def record_id(institution: str, eligibility_id: str) -> str:
    return f"{institution}:{eligibility_id}"


def _issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    return str(issuer.get("id", "") if isinstance(issuer, dict) else issuer or "")


def allocation_of(record: Document) -> Allocation:
    return Allocation(record["institution"], record["status_list"]["number"], record["status_list"]["index"])


class IssuedCredentials:
    def __init__(self, documents: DocumentStore, issuers: IssuerRegistry, status_lists: StatusLists) -> None:
        self.documents = documents
        self.issuers = issuers
        self.status_lists = status_lists

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def issue(self, eligible: BadgeEligible, *, event_id: str) -> Issuance:
        the_id = record_id(eligible.institution, eligible.eligibility_id)
        stored = await self.documents.get(COLLECTION, the_id)
        if stored is not None:
            return Issuance(stored, created=False)
        now = datetime.now(UTC)
        issued_at = now.replace(microsecond=0)  # validFrom is written in whole seconds
        issuer = await self.issuers.ensure(eligible.institution)
        # random: the public link cannot be guessed from the eligibility (whose id is derived from the staff id)
        parts = CredentialParts(f"urn:uuid:{uuid.uuid4()}", issuer.credential_profile(), issued_at, status=None)
        build_credential(eligible, parts)  # a payload that cannot make a credential fails before taking an index
        allocation = await self.status_lists.allocate(eligible.institution, reservation=eligible.eligibility_id)
        parts = CredentialParts(
            parts.credential_id, parts.issuer_profile, issued_at, self.status_lists.entry(allocation)
        )
        signed = sign_credential(build_credential(eligible, parts), self.issuers.signing_key(issuer))
        record = _new_record(eligible, signed, allocation, event_id=event_id, issued=now)
        try:
            return Issuance(await self.documents.insert(COLLECTION, record), created=True)
        except DuplicateKeyError:
            stored = await self.documents.get(COLLECTION, the_id)
            if stored is None:
                raise
            return Issuance(stored, created=False)  # a concurrent delivery of the same eligibility came first

    async def by_uuid(self, credential_uuid: str) -> Document | None:
        page = await self.documents.find(COLLECTION, {"credential_uuid": credential_uuid}, limit=1)
        return page.items[0] if page.items else None

    async def of_institution(
        self, institution: str, *, staff_id: str | None = None, limit: int, cursor: str | None
    ) -> Page:
        """Newest first; one staff member's only when `staff_id` is given."""
        where: dict[str, Scalar] = {"institution": institution}
        if staff_id is not None:
            where["staff_id"] = staff_id
        return await self.documents.find(
            COLLECTION,
            where,
            sort=[("issued_order", SortOrder.DESCENDING)],
            limit=limit,
            cursor=cursor,
        )

    async def owned_by(
        self, institution: str, staff_id: str, *, issued_after: datetime | None, offset: int, limit: int
    ) -> tuple[list[Document], int]:
        """One staff member's credentials, oldest first, as an offset page; and how many there are in all.

        Oldest first keeps offset pages stable while new credentials are issued (they come at the end). The store
        filters by equality only, so `issued_after` (compared with `issued_at`, the credential's `validFrom`) is
        applied while walking the person's records; a person holds tens of badges, not thousands.
        """
        where: dict[str, Scalar] = {"institution": institution, "staff_id": staff_id}
        total = None if issued_after is not None else await self.documents.count(COLLECTION, where)
        items: list[Document] = []
        seen, cursor = 0, None
        while True:
            page = await self.documents.find(
                COLLECTION, where, sort=[("issued_order", SortOrder.ASCENDING)], limit=100, cursor=cursor
            )
            for record in page.items:
                if issued_after is not None and datetime.fromisoformat(record["issued_at"]) <= issued_after:
                    continue
                if offset <= seen < offset + limit:
                    items.append(record)
                seen += 1
            cursor = page.next_cursor
            if cursor is None or (total is not None and seen >= offset + limit):
                break
        return items, seen if total is None else total

    async def change_status(self, record: Document, action: Action, *, reason: str | None) -> Document:
        """Apply `action` (idempotent): the status bit first, then the record with its event.

        The bit is what verifiers read, so it changes first: a crash in between leaves a revocation visible and its
        record and event to the retried request, never a revoked record whose credential still verifies.
        """
        allocation = allocation_of(record)
        purpose: Purpose = "revocation" if action == "revoke" else "suspension"
        # the list this credential's verifiers read: signed under the identity that issued the credential
        identity: Identity = "did" if _issuer_id(record["credential"]).startswith("did:") else "profile"
        list_url = self.status_lists.url(allocation.institution, allocation.number, purpose, identity)

        def change(current: Document) -> Document | None:
            return status_changed(current, action, reason, list_url)

        change(record)  # refuses (StatusChangeRefused) before anything is written
        wanted = action != "unsuspend"
        await self.status_lists.set_status(allocation, purpose, wanted)
        updated = await self._update(record["_id"], change)
        held = bool(updated["revoked"] if purpose == "revocation" else updated["suspended"])
        if held != wanted:  # another request changed the record meanwhile: the list follows the record
            await self.status_lists.set_status(allocation, purpose, held)
        return updated

    async def _update(self, the_id: str, change: Callable[[Document], Document | None]) -> Document:
        for _ in range(MAX_CAS_ATTEMPTS):
            current = await self.documents.get(COLLECTION, the_id)
            if current is None:
                raise LookupError(the_id)
            updated = change(current)
            if updated is None:
                return current
            try:
                return await self.documents.replace(COLLECTION, updated)
            except (VersionConflictError, DocumentNotFoundError):
                continue
        raise VersionConflictError(f"the credential {the_id!r} kept changing; try again")


def _new_record(
    eligible: BadgeEligible, signed: dict[str, Any], allocation: Allocation, *, event_id: str, issued: datetime
) -> Document:
    """The credential's record with its `badge.issued` event in the outbox: stored by one insert."""
    issued_at = issued.replace(microsecond=0)  # as validFrom says it
    record = {
        "_id": record_id(eligible.institution, eligible.eligibility_id),
        "institution": eligible.institution,
        "staff_id": eligible.staff_id,
        "eligibility_id": eligible.eligibility_id,
        "event_id": event_id,
        "credential_uuid": signed["id"].removeprefix("urn:uuid:"),
        "credential_id": signed["id"],
        "badge_id": eligible.badge_id,
        "framework_version": eligible.framework_version,
        "episode": eligible.episode,
        "level": eligible.level,
        "issued_at": issued_at.isoformat(),
        "issued_order": issued.isoformat(timespec="microseconds"),  # lists sort by it: two may share a second
        "status_list": {"number": allocation.number, "index": allocation.index},
        "revoked": False,
        "suspended": False,
        "credential": signed,
    }
    payload = BadgeIssued(
        institution=eligible.institution,
        staff_id=eligible.staff_id,
        credential_id=signed["id"],
        eligibility_id=eligible.eligibility_id,
        badge_id=eligible.badge_id,
        framework_version=eligible.framework_version,
        episode=eligible.episode,
        level=eligible.level,
        issued_at=issued_at,
    )
    key = partition_key(eligible.institution, eligible.staff_id)
    return ISSUER_EVENTS.announce(record, BADGE_ISSUED, key=key, subject=signed["id"], payload=payload)


def public_summary(record: Document) -> dict[str, Any]:
    """What the owner and the institution's staff see of an issued credential in lists."""
    return {
        "id": record["credential_uuid"],
        "credential_id": record["credential_id"],
        "staff_id": record["staff_id"],
        "badge_id": record["badge_id"],
        "level": record["level"],
        "framework_version": record["framework_version"],
        "episode": record["episode"],
        "issued_at": record["issued_at"],
        "revoked": record["revoked"],
        "suspended": record["suspended"],
    }
