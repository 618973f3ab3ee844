"""Badge definitions by content: what an enrolment was made under, stored once instead of in every staff record.

An enrolment names its definition (the badge with its coaching module, and the Achievement rendered for it) by a
hash of its content. Consortium framework versions never change, but an institution's extension is replaced in place
(`PUT /v1/framework/extension` keeps no history), so a reference to "badge b of version v" would not pin what an
enrolment in an institution's own badge meant; a content hash does, for both. A definition is immutable, so each one
is read at most once per process and then served from memory.

Staff records written by earlier releases carried the definition inline (`badge` and `achievement` in each
enrolment): they are read as before, and the next write stores their definition here and the record without it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from rexvet_coaching.domain.progress import BadgeDefinition, StaffRecord
from rexvet_common.errors import DuplicateKeyError
from rexvet_common.ports.document_store import Document, DocumentStore

COLLECTION = "badge_definitions"
LEGACY_FIELDS = ("badge", "achievement")


class MissingDefinition(RuntimeError):
    """A staff record names a definition the store does not hold: the data is damaged, not the request."""


def lift_legacy(document: Document) -> tuple[Document, list[BadgeDefinition]]:
    """A stored record with its enrolments' inline definitions replaced by their references, and those definitions."""
    found: list[BadgeDefinition] = []
    enrolments = []
    for enrolment in document.get("enrolments", []):
        if "definition" in enrolment or not all(f in enrolment for f in LEGACY_FIELDS):
            enrolments.append(enrolment)
            continue
        definition = BadgeDefinition.of(enrolment["badge"], enrolment["achievement"])
        found.append(definition)
        slim = {k: v for k, v in enrolment.items() if k not in LEGACY_FIELDS}
        enrolments.append({**slim, "definition": definition.ref})
    if not found:
        return dict(document), []
    return {**document, "enrolments": enrolments}, found


class BadgeDefinitions:
    def __init__(self, documents: DocumentStore) -> None:
        self.documents = documents
        # as many as there are distinct badges across framework versions and extension revisions: a few hundred
        self._known: dict[str, BadgeDefinition] = {}
        self._stored: set[str] = set()  # refs known to be in the store

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION)

    def learn(self, definitions: Iterable[BadgeDefinition]) -> None:
        """Definitions found inline in a record written by an earlier release (not stored yet)."""
        for definition in definitions:
            self._known.setdefault(definition.ref, definition)

    async def resolve(self, record: StaffRecord) -> None:
        """Attach to every enrolment of `record` the definition it names."""
        for enrolment in record.enrolments:
            enrolment.resolve(await self.get(enrolment.definition))

    async def get(self, ref: str) -> BadgeDefinition:
        known = self._known.get(ref)
        if known is not None:
            return known
        document = await self.documents.get(COLLECTION, ref)
        if document is None:
            raise MissingDefinition(f"badge definition {ref} is not stored")
        definition = BadgeDefinition.of(document["badge"], document["achievement"])
        if definition.ref != ref:
            raise MissingDefinition(f"badge definition {ref} is stored with other content ({definition.ref})")
        self._known[ref] = definition
        self._stored.add(ref)
        return definition

    async def store_for(self, record: StaffRecord) -> None:
        """Store the definitions `record` names before the record is written, so no stored record names a missing one.

        Content-addressed, so a definition stored twice (two replicas, a retry) is the same document; one left behind by
        a write that then failed is harmless.
        """
        for enrolment in record.enrolments:
            definition = enrolment.resolved()
            if definition.ref in self._stored:
                continue
            document = {
                "_id": definition.ref,
                "badge": definition.badge_json,
                "achievement": definition.achievement_json,
            }
            with contextlib.suppress(DuplicateKeyError):
                await self.documents.insert(COLLECTION, document)
            self._known.setdefault(definition.ref, definition)
            self._stored.add(definition.ref)
