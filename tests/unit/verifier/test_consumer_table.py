"""The verifier's two subscriptions dispatch through their tables: every type on their topic is handled or ignored on
purpose, every handler can be reached, and an ignored type is consumed without touching anything."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime

import pytest
from testkit.consumer_tables import assert_every_type_is_accounted_for, assert_no_handler_is_dead

from rexvet_common.events.catalogue import BADGE_ISSUED, BadgeIssued
from rexvet_common.events.envelope import CloudEvent, new_event
from rexvet_verifier.application.trust_registry import COLLECTION as TRUSTED_ISSUERS
from rexvet_verifier.consumers.handlers import (
    CONSUMED_TOPICS,
    INVALIDATION_HANDLERS,
    INVALIDATION_IGNORED_TYPES,
    REGISTRY_HANDLERS,
    REGISTRY_IGNORED_TYPES,
    CacheInvalidation,
)

from .harness import Service
from .test_trust_and_revocation_events import context_of

pytestmark = pytest.mark.unit

Handlers = Mapping[str, Callable[..., Awaitable[None]]]
TABLES: dict[str, tuple[Handlers, frozenset[str]]] = {
    "consumer group": (REGISTRY_HANDLERS, REGISTRY_IGNORED_TYPES),
    "cache invalidation": (INVALIDATION_HANDLERS, INVALIDATION_IGNORED_TYPES),
}


@pytest.mark.parametrize("subscription", TABLES)
def test_every_type_on_the_consumed_topic_has_a_handler_or_is_ignored_on_purpose(subscription: str) -> None:
    handlers, ignored = TABLES[subscription]
    assert_every_type_is_accounted_for(handlers, ignored, CONSUMED_TOPICS, table=subscription)


@pytest.mark.parametrize("subscription", TABLES)
def test_no_handler_is_dead(subscription: str) -> None:
    handlers, ignored = TABLES[subscription]
    assert_no_handler_is_dead(handlers, ignored, CONSUMED_TOPICS, table=subscription)


def badge_issued() -> CloudEvent:
    data = BadgeIssued(
        institution="omnia",
        staff_id="s-1",
        credential_id="urn:uuid:0b6f3c1e-8f7a-4a55-9d0e-2f4c1a7b9e01",
        eligibility_id="el-1",
        badge_id="abroad-rookie",
        framework_version=1,
        episode=1,
        level="1",
        issued_at=datetime(2026, 6, 1, tzinfo=UTC),
    )
    return new_event(type=BADGE_ISSUED, source="rexvet/test", key="omnia:s-1", data=data.model_dump(mode="json"))


class Untouchable:
    """Every cache port CacheInvalidation can reach; any call is a failure."""

    def drop(self, url: str) -> None:
        raise AssertionError(f"dropped {url}")

    def forget(self, ids: Iterable[str] | str) -> None:
        raise AssertionError(f"forgot {ids}")

    def document_url(self, controller_id: str) -> str:
        raise AssertionError(f"asked for the document of {controller_id}")


async def test_an_ignored_type_is_consumed_and_changes_nothing(service: Service) -> None:
    # a handler reached by mistake would raise: the payload is not a profile or a status change
    untouchable = Untouchable()
    await CacheInvalidation(untouchable, untouchable, untouchable, untouchable).handle(badge_issued())
    await context_of(service).consumer.handle(badge_issued())
    assert not await service.app.state.runtime.platform.documents.count(TRUSTED_ISSUERS, {})
