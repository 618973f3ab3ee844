"""One compare-and-swap write, the step every read-change-write loop of coaching's stores takes.

The document store replaces a document only while its `_version` is still the one read (and inserts one only where
there was none), so two writers of the same document cannot lose each other's changes: the later one is told, reads
again and runs its change on what the other wrote.
"""

from __future__ import annotations

from rexvet_common.errors import DocumentNotFoundError, DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import Document, DocumentStore

# Another writer got there first: it changed the document, deleted it, or created it after we found none.
CONFLICTS = (VersionConflictError, DocumentNotFoundError, DuplicateKeyError)


async def write_over(documents: DocumentStore, collection: str, current: Document | None, document: Document) -> bool:
    """Write `document` where `current` was read (None: there was no document); False when it changed meanwhile."""
    try:
        if current is None:
            await documents.insert(collection, document)
        else:
            await documents.replace(collection, {**document, "_version": current["_version"]})
    except CONFLICTS:
        return False
    return True
