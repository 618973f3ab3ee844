"""The trust registry keeps its answers in memory (a store read per verification was most of what the registered_issuer
check cost): until this replica records a profile of the issuer, a published profile's broadcast drops them, or
their ttl runs out. Another replica's write to the shared store is what each of those must make visible."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.events.catalogue import IssuerProfilePublished
from rexvet_verifier.application.trust_registry import COLLECTION, TrustRegistry

pytestmark = pytest.mark.unit

ISSUER = "did:web:issuer.test:v1:issuers:omnia"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteDocumentStore]:
    documents = SqliteDocumentStore(tmp_path / "documents.sqlite3")
    yield documents
    await documents.close()


async def written_by_another_replica(store: SqliteDocumentStore, name: str) -> None:
    """The group member that recorded the profile was another replica: only the shared store has changed."""
    await store.insert(COLLECTION, {"_id": ISSUER, "institution": "omnia", "name": name, "published_at": "2026-01-01"})


def published(name: str) -> IssuerProfilePublished:
    return IssuerProfilePublished.model_validate(
        {
            "institution": "omnia",
            "issuer_id": ISSUER,
            "profile": {"id": ISSUER, "type": ["Profile"], "name": name},
            "verification_methods": [f"{ISSUER}#key-1"],
        }
    )


async def test_an_answer_is_kept_until_the_broadcast_drops_it(store: SqliteDocumentStore) -> None:
    registry = TrustRegistry(store, monotonic=Clock())
    await registry.prepare()
    assert await registry.lookup(ISSUER) is None
    await written_by_another_replica(store, "Omnia")
    assert await registry.lookup(ISSUER) is None  # the answer kept, not a store read
    registry.forget([ISSUER])
    entry = await registry.lookup(ISSUER)
    assert entry is not None and entry.name == "Omnia"


async def test_an_answer_is_read_again_after_its_ttl(store: SqliteDocumentStore) -> None:
    clock = Clock()
    registry = TrustRegistry(store, ttl_seconds=30, monotonic=clock)
    await registry.prepare()
    assert await registry.lookup(ISSUER) is None
    await written_by_another_replica(store, "Omnia")
    clock.now += 29
    assert await registry.lookup(ISSUER) is None
    clock.now += 2
    entry = await registry.lookup(ISSUER)
    assert entry is not None and entry.name == "Omnia"


async def test_recording_a_profile_drops_this_replicas_answer(store: SqliteDocumentStore) -> None:
    registry = TrustRegistry(store, monotonic=Clock())
    await registry.prepare()
    assert await registry.lookup(ISSUER) is None
    assert await registry.record(published("Omnia, Espoo"), event_id="e-1", published_at=datetime.now(UTC))
    entry = await registry.lookup(ISSUER)
    assert entry is not None and entry.name == "Omnia, Espoo"


async def test_the_answers_kept_are_bounded(store: SqliteDocumentStore) -> None:
    registry = TrustRegistry(store, max_answers=2, monotonic=Clock())
    await registry.prepare()
    for number in range(3):  # anonymous callers choose the issuer ids: the oldest answer goes first
        assert await registry.lookup(f"did:key:z{number}") is None
    await written_by_another_replica(store, "Omnia")
    assert await registry.lookup(ISSUER) is not None  # not one of those kept: read
    assert len(registry) == 2
