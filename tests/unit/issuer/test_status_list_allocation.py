"""Status-list index allocation on the embedded document store: random, distinct under concurrency, idempotent
per eligibility, and a full list rolls over to the next one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.errors import VersionConflictError
from rexvet_common.ports.document_store import Document
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.status.bitstring import MIN_ENTRIES, Bitstring
from rexvet_issuer.application.status_lists import COLLECTION, Identity, StatusLists

pytestmark = pytest.mark.unit

KEY = Ed25519SigningKey.generate()


@pytest.fixture
async def lists(tmp_path: Path) -> AsyncIterator[StatusLists]:
    store = SqliteDocumentStore(tmp_path / "lists.sqlite3")

    async def signing_key(institution: str, identity: Identity) -> Ed25519SigningKey:
        return KEY

    status_lists = StatusLists(store, base_url="https://issuer.test", signing_key=signing_key, ttl=timedelta(0))
    await status_lists.prepare()
    try:
        yield status_lists
    finally:
        await store.close()


async def test_concurrent_allocations_get_distinct_indexes(lists: StatusLists) -> None:
    allocations = await asyncio.gather(*(lists.allocate("omnia", f"eligibility-{n}") for n in range(40)))
    assert len({a.index for a in allocations}) == 40
    assert {a.number for a in allocations} == {1}
    stored = await lists.documents.get(COLLECTION, "omnia:1")
    assert stored is not None and stored["taken"] == 40
    taken = Bitstring.decode(stored["allocated"])
    assert sorted(taken.set_bits()) == sorted(a.index for a in allocations)
    # random, not sequential: 40 indexes drawn from 131,072 all below 1,000 would be a 1-in-10^80 event
    assert max(a.index for a in allocations) > 1000


class ConflictCountingStore(SqliteDocumentStore):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.conflicts = 0

    async def replace(self, collection: str, document: Document) -> Document:
        try:
            return await super().replace(collection, document)
        except VersionConflictError:
            self.conflicts += 1
            raise


def lists_on(store: SqliteDocumentStore) -> StatusLists:
    async def signing_key(institution: str, identity: Identity) -> Ed25519SigningKey:
        return KEY

    return StatusLists(store, base_url="https://issuer.test", signing_key=signing_key, ttl=timedelta(0))


async def test_concurrent_allocations_in_one_process_take_turns_instead_of_conflicting(tmp_path: Path) -> None:
    store = ConflictCountingStore(tmp_path / "lists.sqlite3")
    lists = lists_on(store)
    await lists.prepare()
    allocations = await asyncio.gather(*(lists.allocate("omnia", f"eligibility-{n}") for n in range(20)))
    assert len({a.index for a in allocations}) == 20
    assert store.conflicts == 0  # each retry would re-read, re-encode and re-write the whole list
    await store.close()


async def test_replicas_allocating_at_once_still_get_distinct_indexes(tmp_path: Path) -> None:
    store = ConflictCountingStore(tmp_path / "lists.sqlite3")
    replicas = [lists_on(store), lists_on(store)]  # two processes' objects: no lock in common, only the store
    await replicas[0].prepare()
    allocations = await asyncio.gather(*(replicas[n % 2].allocate("omnia", f"eligibility-{n}") for n in range(20)))
    assert len({a.index for a in allocations}) == 20
    stored = await store.get(COLLECTION, "omnia:1")
    assert stored is not None and stored["taken"] == 20
    await store.close()


async def test_the_same_reservation_gets_the_same_index(lists: StatusLists) -> None:
    first = await lists.allocate("omnia", "eligibility-1")
    again = await lists.allocate("omnia", "eligibility-1")
    assert again == first
    stored = await lists.documents.get(COLLECTION, "omnia:1")
    assert stored is not None and stored["taken"] == 1


async def test_institutions_have_their_own_lists(lists: StatusLists) -> None:
    omnia = await lists.allocate("omnia", "e-1")
    other = await lists.allocate("stadin-ao", "e-1")
    assert (omnia.list_id, other.list_id) == ("omnia:1", "stadin-ao:1")
    assert (
        lists.entry(other)["statusListCredential"]
        == "https://issuer.test/v1/issuers/stadin-ao/status-lists/1/revocation"
    )


async def test_a_full_list_rolls_over_to_the_next(lists: StatusLists) -> None:
    await lists.allocate("omnia", "e-1")
    stored = await lists.documents.get(COLLECTION, "omnia:1")
    assert stored is not None
    everything = Bitstring(MIN_ENTRIES, data=b"\xff" * (MIN_ENTRIES // 8))
    await lists.documents.replace(COLLECTION, {**stored, "allocated": everything.encode(), "taken": MIN_ENTRIES})

    allocation = await lists.allocate("omnia", "e-2")
    assert allocation.number == 2
    first = await lists.documents.get(COLLECTION, "omnia:1")
    assert first is not None and first["full"] is True
    assert (await lists.list_credential("omnia", 2, "revocation")) is not None


async def test_setting_a_bit_re_signs_the_list_and_is_idempotent(lists: StatusLists) -> None:
    allocation = await lists.allocate("omnia", "e-1")
    before = await lists.list_credential("omnia", 1, "revocation")
    assert await lists.set_status(allocation, "revocation", True) is True
    assert await lists.set_status(allocation, "revocation", True) is False
    after = await lists.list_credential("omnia", 1, "revocation")
    assert before is not None and after is not None
    assert after["proof"]["proofValue"] != before["proof"]["proofValue"]
    assert Bitstring.decode(after["credentialSubject"]["encodedList"]).set_bits() == [allocation.index]
    suspension = await lists.list_credential("omnia", 1, "suspension")
    assert suspension is not None
    assert Bitstring.decode(suspension["credentialSubject"]["encodedList"]).set_bits() == []
