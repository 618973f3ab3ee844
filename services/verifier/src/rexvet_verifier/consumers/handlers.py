"""What the verifier does with the issuer's events, in two subscriptions:

- the consumer group (`VerifierConsumer`): issuer profiles into the trust registry, which is in the shared document
  store, so once per event for all replicas (`apply_once`);
- a broadcast, per instance (`CacheInvalidation`): every replica drops what it holds in memory that the event makes
  stale (the status list of a revocation or suspension, the key document and the registry answers of a published
  profile), so no replica waits out a ttl. Dropping twice drops nothing more.
Each subscription dispatches through its own table from event type (the catalogue's constants) to handler, and
names the types of its topic it leaves alone on purpose (tests/unit/verifier/test_consumer_table.py: a new type
on the topic must be put in one or the other, so that none is dropped unnoticed).
A malformed payload raises, so the bus retries it and then dead-letters it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from rexvet_common.events import topics
from rexvet_common.events.catalogue import (
    BADGE_ISSUED,
    BADGE_REVOKED,
    BADGE_SUSPENDED,
    BADGE_UNSUSPENDED,
    ISSUER_PROFILE_PUBLISHED,
    BadgeStatusChanged,
    IssuerProfilePublished,
)
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.messaging.handler_table import dispatch
from rexvet_credentials.errors import KeyResolutionError
from rexvet_verifier.application.trust_registry import TrustRegistry

log = logging.getLogger(__name__)

CONSUMED_TOPICS = (topics.ISSUER,)
# A suspension changes its list as much as a revocation does, and so does lifting it.
STATUS_CHANGED = frozenset({BADGE_REVOKED, BADGE_SUSPENDED, BADGE_UNSUSPENDED})


class StatusListCachePort(Protocol):
    def drop(self, url: str) -> None: ...


class KeyDocumentCachePort(Protocol):
    def forget(self, controller_ids: Iterable[str]) -> None: ...

    def document_url(self, controller_id: str) -> str: ...


class FetchFailuresPort(Protocol):
    def forget(self, url: str) -> None: ...


# The broadcast subscription's name (logs, and its dead letters: `rexvet.issuer.v1.dlq.verifier-caches`).
CACHE_INVALIDATION = "verifier-caches"


class VerifierConsumer:
    def __init__(self, registry: TrustRegistry) -> None:
        self._registry = registry

    async def handle(self, event: CloudEvent) -> None:
        # The topic's other types (REGISTRY_IGNORED_TYPES) are left alone.
        await dispatch(REGISTRY_HANDLERS, self, event)

    async def issuer_profile_published(self, event: CloudEvent) -> None:
        published = IssuerProfilePublished.model_validate(event.data)
        await self._registry.record(published, event_id=event.id, published_at=event.time)


# The consumer group's table: each event type it acts on, and its handler. Issuance and status changes leave the
# shared registry as it is (a status change only makes each replica's cached list stale: the broadcast's table).
REGISTRY_HANDLERS: dict[str, Callable[[VerifierConsumer, CloudEvent], Awaitable[None]]] = {
    ISSUER_PROFILE_PUBLISHED: VerifierConsumer.issuer_profile_published,
}
REGISTRY_IGNORED_TYPES = frozenset({BADGE_ISSUED, *STATUS_CHANGED})


class TrustAnswersPort(Protocol):
    def forget(self, issuer_ids: Iterable[str]) -> None: ...


class CacheInvalidation:
    def __init__(
        self,
        status_lists: StatusListCachePort,
        keys: KeyDocumentCachePort,
        fetch_failures: FetchFailuresPort,
        trust_answers: TrustAnswersPort,
    ) -> None:
        self._status_lists = status_lists
        self._keys = keys
        self._fetch_failures = fetch_failures
        self._trust_answers = trust_answers

    async def handle(self, event: CloudEvent) -> None:
        # The topic's other types (INVALIDATION_IGNORED_TYPES) are left alone.
        await dispatch(INVALIDATION_HANDLERS, self, event)

    async def issuer_profile_published(self, event: CloudEvent) -> None:
        published = IssuerProfilePublished.model_validate(event.data)
        # A published profile may carry new keys (rotation): the next verification reads it afresh.
        # ...under each of its ids: credentials issued before the did:web name the Profile URL.
        ids = [published.issuer_id, *published.also_known_as]
        self._keys.forget(ids)
        self._trust_answers.forget(ids)  # and this replica's remembered registry answers for them
        for issuer_id in ids:
            document = self._document_url(issuer_id)
            if document is not None:
                self._fetch_failures.forget(document)

    async def status_changed(self, event: CloudEvent) -> None:
        changed = BadgeStatusChanged.model_validate(event.data)
        if changed.status_list_credential is None:
            # Older producers do not name the list: the cached copy then lives out its ttl (capped by settings).
            log.info("status change without a status list URL", extra={"event_id": event.id})
            return
        self._status_lists.drop(changed.status_list_credential)
        self._fetch_failures.forget(changed.status_list_credential)

    def _document_url(self, issuer_id: str) -> str | None:
        """Where the issuer's key document is fetched from (did:web, https/http profile); None for did:key..."""
        try:
            return self._keys.document_url(issuer_id)
        except KeyResolutionError:
            return None


# The broadcast's table: what makes a replica's in-memory copies stale. An issuance changes no list bit and no key.
INVALIDATION_HANDLERS: dict[str, Callable[[CacheInvalidation, CloudEvent], Awaitable[None]]] = {
    ISSUER_PROFILE_PUBLISHED: CacheInvalidation.issuer_profile_published,
    **dict.fromkeys(STATUS_CHANGED, CacheInvalidation.status_changed),
}
INVALIDATION_IGNORED_TYPES = frozenset({BADGE_ISSUED})
