"""c_nonce values from the nonce endpoint (OpenID4VCI 1.0 section 7): short-lived and single-use.

Stored by digest with their expiry; a credential request consumes one by deleting it, so a replayed proof finds
no nonce. The endpoint is unauthenticated, so the same per-client limiter as the token endpoint guards it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rexvet_common.errors import VersionConflictError
from rexvet_common.ports.document_store import DocumentStore
from rexvet_issuer.wallet.domain.offer import digest, new_secret

COLLECTION = "wallet_nonces"


class Nonces:
    def __init__(self, documents: DocumentStore, ttl: timedelta) -> None:
        self.documents = documents
        self.ttl = ttl

    async def prepare(self) -> None:
        await self.documents.ensure_collection(COLLECTION)

    async def issue(self, institution: str) -> str:
        nonce = new_secret()
        expires = datetime.now(UTC) + self.ttl
        await self.documents.insert(
            COLLECTION, {"_id": digest(nonce), "institution": institution, "expires_at": expires.isoformat()}
        )
        return nonce

    async def consume(self, institution: str, nonce: str) -> bool:
        """True once for a nonce this institution's endpoint gave out and that has not expired."""
        stored = await self.documents.get(COLLECTION, digest(nonce))
        if stored is None or stored["institution"] != institution:
            return False
        try:
            deleted = await self.documents.delete(COLLECTION, stored["_id"], expected_version=stored["_version"])
        except VersionConflictError:
            return False
        return deleted and datetime.now(UTC) < datetime.fromisoformat(stored["expires_at"])
