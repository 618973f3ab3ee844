"""The people directory in the document store: one document per (institution, person), changed by compare-and-swap.

An HR event is applied with `apply_once`: its id is kept in the entry's own document by the same write, so a
redelivered event has no second effect. The directory emits no events, so it needs no outbox. Every read is by
(institution, id) or filtered by institution: another institution's people are never reached.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from datetime import datetime

from rexvet_coaching.application.compare_and_swap import write_over
from rexvet_coaching.domain import directory
from rexvet_coaching.domain.directory import PersonEntry, SignIn
from rexvet_coaching.domain.progress import record_id
from rexvet_common.errors import VersionConflictError
from rexvet_common.messaging.idempotency import apply_once
from rexvet_common.ports.document_store import Document, DocumentStore, Index, Scalar

log = logging.getLogger(__name__)

COLLECTION = "people"
# `coach` is true only for a present entry with the coach role: the enrol form's list is one indexed query.
INDEXES = (Index(("tenant", "coach")),)
MAX_CONFLICTS = 50
PAGE = 500


def to_entry(document: Document) -> PersonEntry:
    return PersonEntry.model_validate({k: v for k, v in document.items() if not k.startswith("_") and k != "coach"})


def to_document(entry: PersonEntry) -> Document:
    return {
        **entry.model_dump(mode="json"),
        "_id": record_id(entry.tenant, entry.person_id),
        "coach": entry.is_coach,
    }


class PeopleDirectory:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION, INDEXES)

    async def get(self, tenant: str, person_id: str) -> PersonEntry | None:
        """The person's entry; None when there is none or the person left."""
        document = await self.documents.get(COLLECTION, record_id(tenant, person_id))
        if document is None:
            return None
        entry = to_entry(document)
        return entry if entry.present else None

    async def apply_hr_event(
        self,
        *,
        event_id: str,
        tenant: str,
        person_id: str,
        hr_type: str,
        fields: Mapping[str, object],
        occurred_at: datetime,
    ) -> bool:
        """False when this event had been applied before (a redelivery) or does not concern the directory."""
        if hr_type not in directory.DIRECTORY_HR_TYPES:
            return False

        def change(current: Document | None) -> Document | None:
            entry = to_entry(current) if current is not None else None
            changed = directory.apply_hr_event(
                entry, tenant=tenant, person_id=person_id, hr_type=hr_type, fields=fields, occurred_at=occurred_at
            )
            return to_document(changed) if changed is not None else None

        applied = await apply_once(self.documents, COLLECTION, record_id(tenant, person_id), event_id, change)
        if not applied:
            log.info("HR event already in the directory", extra={"event_id": event_id, "hr_type": hr_type})
        return applied

    async def record_sign_in(self, sign_in: SignIn) -> PersonEntry:
        return await self._change(
            sign_in.tenant, sign_in.person_id, lambda entry: directory.apply_sign_in(entry, sign_in)
        )

    async def erase(self, tenant: str, person_id: str, *, at: datetime) -> bool:
        """Erase the person's entry; False when there was none to erase."""
        if await self.get(tenant, person_id) is None:
            return False
        await self._change(tenant, person_id, lambda entry: directory.erase(entry or _blank(tenant, person_id), at=at))
        return True

    async def coaches(self, tenant: str) -> list[PersonEntry]:
        """The institution's coaches in the order a person reads the list: by name (the id for one without)."""
        found = [entry async for entry in self._find({"tenant": tenant, "coach": True})]
        return sorted(found, key=lambda e: ((e.display_name or e.person_id).casefold(), e.person_id))

    async def names(self, tenant: str, person_ids: Iterable[str]) -> dict[str, str]:
        """Display names of those of these people the directory knows; the others are left out."""
        names: dict[str, str] = {}
        for person_id in dict.fromkeys(person_ids):
            entry = await self.get(tenant, person_id)
            if entry is not None and entry.display_name:
                names[person_id] = entry.display_name
        return names

    async def _find(self, where: Mapping[str, Scalar]) -> AsyncIterator[PersonEntry]:
        cursor: str | None = None
        while True:
            page = await self.documents.find(COLLECTION, where, limit=PAGE, cursor=cursor)
            for document in page.items:
                yield to_entry(document)
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def _change(
        self, tenant: str, person_id: str, change: Callable[[PersonEntry | None], PersonEntry]
    ) -> PersonEntry:
        doc_id = record_id(tenant, person_id)
        for _ in range(MAX_CONFLICTS):
            current = await self.documents.get(COLLECTION, doc_id)
            entry = change(to_entry(current) if current is not None else None)
            # The applied HR events' ids stay with the entry, so a redelivery after this write is still absorbed.
            kept = {k: v for k, v in (current or {}).items() if k.startswith("_")}
            document = {**kept, **to_document(entry)}
            if await write_over(self.documents, COLLECTION, current, document):
                return entry
        raise VersionConflictError(f"directory entry {doc_id!r} kept changing; try again")


def _blank(tenant: str, person_id: str) -> PersonEntry:
    return PersonEntry(tenant=tenant, person_id=person_id)
