"""The last good token key set, kept in the service's document store so a restarted service can check tokens while
the issuer is down.

Why the document store and not a file in the data directory: it is the one place every deployment already keeps
durable state per service. Embedded, it is a SQLite file in the data directory anyway; on Kubernetes the pods' file
systems are throw-away (a restarted pod has an empty one) while the MongoDB-wire store survives, and every replica
of a service reads the same copy. The keys are public, so storing them needs no secret handling.
"""

from __future__ import annotations

import hashlib
import logging

from rexvet_common.auth.jwks import KnownJwks
from rexvet_common.errors import DuplicateKeyError, VersionConflictError
from rexvet_common.ports.document_store import DocumentStore

log = logging.getLogger(__name__)

COLLECTION = "platform_token_keys"


def cache_id(url: str) -> str:
    """One document per key-set URL (a changed REXVET_AUTH_JWKS_URL never reuses another issuer's keys)."""
    return "jwks-" + hashlib.sha256(url.encode()).hexdigest()[:32]


class DocumentStoreJwksCache:
    """`JwksCache` on the `DocumentStore` port."""

    def __init__(self, documents: DocumentStore, *, collection: str = COLLECTION) -> None:
        self._documents = documents
        self._collection = collection
        self._ready = False

    async def _ensure(self) -> None:
        if not self._ready:
            await self._documents.ensure_collection(self._collection)
            self._ready = True

    async def load(self, url: str) -> KnownJwks | None:
        await self._ensure()
        stored = await self._documents.get(self._collection, cache_id(url))
        if stored is None or stored.get("url") != url or not isinstance(stored.get("jwks"), dict):
            return None
        return KnownJwks(document=stored["jwks"], fetched_at=float(stored["fetched_at"]))

    async def save(self, url: str, known: KnownJwks) -> None:
        await self._ensure()
        doc_id = cache_id(url)
        body = {"_id": doc_id, "url": url, "jwks": known.document, "fetched_at": known.fetched_at}
        stored = await self._documents.get(self._collection, doc_id)
        try:
            if stored is None:
                await self._documents.insert(self._collection, body)
            elif float(stored.get("fetched_at", 0)) < known.fetched_at:
                await self._documents.replace(self._collection, {**body, "_version": stored["_version"]})
        except (DuplicateKeyError, VersionConflictError):
            # Another replica kept a key set at the same moment: it is as fresh as ours, either one will do.
            log.debug("another replica kept the token keys first")
