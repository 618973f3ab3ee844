"""The trust registry: the consortium's issuers, as the issuer service publishes them, in the verifier's own store.

The verifier never reads the issuer's database: each `issuer.profile.published` event leaves a copy of the
profile here, and the `registered_issuer` check of every verification looks the credential's issuer up in it
(`TrustedIssuerRegistry` port of rexvet_credentials). An issuer that is not here is a warning, not a failure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rexvet_common.events.catalogue import IssuerProfilePublished
from rexvet_common.messaging.idempotency import apply_once
from rexvet_common.ports.document_store import Document, DocumentStore, Index
from rexvet_credentials.ports import TrustedIssuer

COLLECTION = "trusted_issuers"


class TrustRegistry:
    def __init__(self, documents: DocumentStore) -> None:
        self._documents = documents

    async def prepare(self) -> None:
        await self._documents.ensure_collection(COLLECTION, [Index(("institution",))])

    async def lookup(self, issuer_id: str) -> TrustedIssuer | None:
        found = await self._documents.get(COLLECTION, issuer_id)
        if found is None:
            return None
        name = found.get("name")
        return TrustedIssuer(issuer_id, name if isinstance(name, str) else None)

    async def record(self, published: IssuerProfilePublished, *, event_id: str, published_at: datetime) -> bool:
        """Keep the newest profile of the issuer; False when this event was applied before.

        Events of one issuer may arrive out of order (a replay, another partition): an older profile never
        replaces a newer one.
        """
        # one zone, so that the stored instants compare as text
        at = (published_at if published_at.tzinfo else published_at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()

        def change(current: Document | None) -> Document | None:
            if current is not None and str(current.get("published_at", "")) > at:
                return None
            return _entry(published, at)

        recorded = await apply_once(self._documents, COLLECTION, published.issuer_id, event_id, change)
        # Credentials issued under an earlier id (the Profile URL, before did:web) stay registered.
        for earlier in published.also_known_as:
            recorded = await apply_once(self._documents, COLLECTION, earlier, event_id, change) or recorded
        return recorded


def _entry(published: IssuerProfilePublished, at: str) -> dict[str, Any]:
    name = published.profile.get("name")
    return {
        "institution": published.institution,
        "name": name if isinstance(name, str) else None,
        "profile": published.profile,
        "verification_methods": list(published.verification_methods),
        "published_at": at,
    }
