"""The trust registry: the consortium's issuers, as the issuer service publishes them, in the verifier's own store.

The verifier never reads the issuer's database: each `issuer.profile.published` event leaves a copy of the
profile here, and the `registered_issuer` check of every verification looks the credential's issuer up in it
(`TrustedIssuerRegistry` port of rexvet_credentials). An issuer that is not here is a warning, not a failure.

Every verification asks, so the answers (registered or not) are kept in memory: a store read per request was a
thread hand-off and a SQLite query each time, most of the time spent outside the engine. An answer is dropped when
this replica records a profile of the issuer, when the broadcast of a published profile reaches it (`forget`, from
`CacheInvalidation`: the group member that records it may be another replica), and at the latest after
`ANSWER_TTL_SECONDS`, which bounds the one race left: a replica that reads the store after the broadcast but before
the group member has written the profile. The cache is bounded (anonymous callers choose the issuer ids asked for).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from rexvet_common.events.catalogue import IssuerProfilePublished
from rexvet_common.messaging.idempotency import apply_once
from rexvet_common.ports.document_store import Document, DocumentStore, Index
from rexvet_credentials.ports import TrustedIssuer

COLLECTION = "trusted_issuers"
ANSWER_TTL_SECONDS = 30.0
MAX_ANSWERS = 4096


class TrustRegistry:
    def __init__(
        self,
        documents: DocumentStore,
        *,
        ttl_seconds: float = ANSWER_TTL_SECONDS,
        max_answers: int = MAX_ANSWERS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._documents = documents
        self._ttl = ttl_seconds
        self._max_answers = max_answers
        self._monotonic = monotonic
        # issuer id -> (the store's answer, when it was read)
        self._answers: OrderedDict[str, tuple[TrustedIssuer | None, float]] = OrderedDict()

    async def prepare(self) -> None:
        await self._documents.ensure_collection(COLLECTION, [Index(("institution",))])

    async def lookup(self, issuer_id: str) -> TrustedIssuer | None:
        now = self._monotonic()
        kept = self._answers.get(issuer_id)
        if kept is not None and now - kept[1] < self._ttl:
            self._answers.move_to_end(issuer_id)
            return kept[0]
        answer = await self._read(issuer_id)
        self._answers[issuer_id] = (answer, now)
        self._answers.move_to_end(issuer_id)
        while len(self._answers) > self._max_answers:
            self._answers.popitem(last=False)
        return answer

    def __len__(self) -> int:
        """How many answers this replica keeps."""
        return len(self._answers)

    def forget(self, issuer_ids: Iterable[str]) -> None:
        """Drop what this replica remembers of these issuers: the next lookup reads the store."""
        for issuer_id in issuer_ids:
            self._answers.pop(issuer_id, None)

    async def _read(self, issuer_id: str) -> TrustedIssuer | None:
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
        self.forget([published.issuer_id, *published.also_known_as])
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
