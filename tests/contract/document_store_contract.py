"""The document store contract (ports/document_store.py). An adapter's module subclasses `DocumentStoreContract`
and overrides `make_store`: a factory of stores that all reach the same durable database (a second call is "the
same service after a restart"). Documents hold JSON values only; a document in a unique index must have its fields
(engines differ on how they treat a missing field there).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from rexvet_common.errors import (
    DocumentNotFoundError,
    DocumentStoreError,
    DuplicateKeyError,
    InvalidQueryError,
    VersionConflictError,
)
from rexvet_common.ports.document_store import Document, DocumentStore, Index, SortOrder

from .support import unique_name

StoreFactory = Callable[[], DocumentStore]
RACE_WRITERS = 12  # writers of the same version at once
RACE_ROUNDS = 20  # FerretDB 1.24 on SQLite let two writers win in about a third to a half of rounds
INDEXES = (Index(("tenant", "staff")), Index(("tenant", "email"), unique=True), Index(("profile.level",)))


def person(n: int, tenant: str = "inst-a", **extra: object) -> Document:
    return {"_id": f"p{n:03d}", "tenant": tenant, "staff": f"s{n % 3}", "email": f"p{n}@example.org", **extra}


class DocumentStoreContract:
    @pytest.fixture
    def make_store(self) -> StoreFactory:
        raise NotImplementedError("the adapter's test module overrides the make_store fixture")

    @pytest.fixture
    async def open_store(self, make_store: StoreFactory) -> AsyncIterator[StoreFactory]:
        made: list[DocumentStore] = []

        def factory() -> DocumentStore:
            made.append(make_store())
            return made[-1]

        yield factory
        for store in made:
            await store.close()

    @pytest.fixture
    async def store(self, open_store: StoreFactory) -> DocumentStore:
        return open_store()

    @pytest.fixture
    async def people(self, store: DocumentStore) -> str:
        name = unique_name("people")
        await store.ensure_collection(name, INDEXES)
        await store.ensure_collection(name, INDEXES)  # idempotent
        return name

    async def test_insert_then_get_returns_the_document_at_version_one(self, store: DocumentStore, people: str) -> None:
        document = person(1, profile={"level": 2, "tags": ["a", "b"]}, active=True, score=1.5, note=None)
        stored = await store.insert(people, document)
        assert stored == {**document, "_version": 1}
        assert await store.get(people, "p001") == stored
        assert await store.get(people, "missing") is None

    @pytest.mark.parametrize(
        ("field", "value", "reason"),
        [
            ("matrix", [[1, 2], [3]], "an array inside an array"),
            ("deep", {"rows": [{"cells": [["x"]]}]}, "an array inside an array"),
            ("profile", {"a.b": 1}, "contains '.'"),
            ("profile", {"$set": 1}, "starts with '$'"),
            ("note", "before\x00after", "NUL character"),
            ("score", 2**63, "does not fit in 64 bits"),
            ("score", float("nan"), "not a JSON number"),
            ("when", object(), "not a JSON value"),
        ],
    )
    async def test_values_some_engine_refuses_are_refused_by_every_adapter_and_nothing_is_written(
        self, store: DocumentStore, people: str, field: str, value: object, reason: str
    ) -> None:
        # FerretDB refuses each of these; the embedded store must too, or a bug passes every embedded test and fails
        # in production (a projection with nested arrays once did).
        with pytest.raises(DocumentStoreError, match=re.escape(reason)):
            await store.insert(people, {**person(1), field: value})
        assert await store.get(people, "p001") is None
        v1 = await store.insert(people, person(1))
        with pytest.raises(DocumentStoreError, match=re.escape(reason)):
            await store.replace(people, {**v1, field: value})
        assert await store.get(people, "p001") == v1

    async def test_arrays_of_objects_holding_arrays_are_fine(self, store: DocumentStore, people: str) -> None:
        stored = await store.insert(people, person(1, rows=[{"cells": [1, 2]}, {"cells": []}], extremes=[-(2**63)]))
        assert await store.get(people, "p001") == stored

    async def test_insert_refuses_an_existing_id(self, store: DocumentStore, people: str) -> None:
        await store.insert(people, person(1))
        with pytest.raises(DuplicateKeyError):
            await store.insert(people, person(1, email="other@example.org"))

    async def test_replace_is_compare_and_swap_on_the_version(self, store: DocumentStore, people: str) -> None:
        v1 = await store.insert(people, person(1))
        v2 = await store.replace(people, {**v1, "staff": "changed"})
        assert v2["_version"] == 2 and v2["staff"] == "changed"
        with pytest.raises(VersionConflictError):
            await store.replace(people, {**v1, "staff": "stale writer"})
        assert await store.get(people, "p001") == v2
        with pytest.raises(DocumentNotFoundError):
            await store.replace(people, {**person(2), "_version": 1})

    async def test_delete_checks_the_expected_version(self, store: DocumentStore, people: str) -> None:
        v1 = await store.insert(people, person(1))
        with pytest.raises(VersionConflictError):
            await store.delete(people, "p001", expected_version=v1["_version"] + 1)
        assert await store.delete(people, "p001", expected_version=v1["_version"]) is True
        assert await store.delete(people, "p001") is False
        assert await store.get(people, "p001") is None

    async def test_a_unique_index_refuses_a_repeated_value(self, store: DocumentStore, people: str) -> None:
        await store.insert(people, person(1, email="same@example.org"))
        with pytest.raises(DuplicateKeyError):
            await store.insert(people, person(2, email="same@example.org"))
        await store.insert(people, person(3, tenant="inst-b", email="same@example.org"))  # compound: other tenant
        other = await store.insert(people, person(4, email="own@example.org"))
        with pytest.raises(DuplicateKeyError):
            await store.replace(people, {**other, "email": "same@example.org"})
        assert await store.count(people, {"tenant": "inst-a"}) == 2

    async def test_find_filters_by_equality_on_indexed_fields(self, store: DocumentStore, people: str) -> None:
        for n in range(9):
            await store.insert(people, person(n, tenant="inst-a" if n < 6 else "inst-b", profile={"level": n % 2}))
        page = await store.find(people, {"tenant": "inst-a", "staff": "s1"})
        assert [d["_id"] for d in page.items] == ["p001", "p004"]
        assert page.next_cursor is None
        levels = await store.find(people, {"profile.level": 1})
        assert [d["_id"] for d in levels.items] == ["p001", "p003", "p005", "p007"]
        assert await store.count(people, {"tenant": "inst-b"}) == 3
        assert await store.count(people) == 9
        assert [d["_id"] for d in (await store.find(people, {"_id": "p002"})).items] == ["p002"]

    async def test_find_refuses_fields_that_are_not_indexed(self, store: DocumentStore, people: str) -> None:
        await store.insert(people, person(1, colour="red"))
        with pytest.raises(InvalidQueryError):
            await store.find(people, {"colour": "red"})
        with pytest.raises(InvalidQueryError):
            await store.count(people, {"colour": "red"})
        with pytest.raises(InvalidQueryError):
            await store.find(people, sort=[("colour", SortOrder.ASCENDING)])

    async def test_pages_follow_the_sort_then_the_id(self, store: DocumentStore, people: str) -> None:
        for n in range(25):
            await store.insert(people, person(n, profile={"level": n % 4}))
        sort = [("profile.level", SortOrder.DESCENDING)]
        seen: list[Document] = []
        cursor: str | None = None
        pages = 0
        while True:
            page = await store.find(people, {}, sort=sort, limit=10, cursor=cursor)
            seen.extend(page.items)
            pages += 1
            cursor = page.next_cursor
            if cursor is None:
                break
        assert pages == 3
        expected = sorted((person(n, profile={"level": n % 4}) for n in range(25)), key=lambda d: d["_id"])
        expected.sort(key=lambda d: d["profile"]["level"], reverse=True)  # stable: ties keep _id order
        assert [d["_id"] for d in seen] == [d["_id"] for d in expected]

    @pytest.mark.parametrize("order", [SortOrder.ASCENDING, SortOrder.DESCENDING])
    async def test_missing_and_null_values_sort_first_ascending_and_last_descending(
        self, store: DocumentStore, people: str, order: SortOrder
    ) -> None:
        levels: list[int | None] = [2, None, 0, 1, None, 2, 0, None, 1, 2, None]
        levels = [None if n % 4 == 1 else level for n, level in enumerate(levels)]
        for n, level in enumerate(levels):
            profile = {} if n % 4 == 1 else {"level": level}  # some have no level at all, some a null one
            await store.insert(people, person(n, profile=profile))
        seen: list[str] = []
        cursor: str | None = None
        while True:
            page = await store.find(people, {}, sort=[("profile.level", order)], limit=3, cursor=cursor)
            seen.extend(d["_id"] for d in page.items)
            if (cursor := page.next_cursor) is None:
                break

        def position(n: int) -> tuple[int, int, int]:
            level = levels[n]
            if order == SortOrder.ASCENDING:
                return (level is not None, level or 0, n)
            return (level is None, -(level or 0), n)

        expected = sorted(range(len(levels)), key=position)
        assert seen == [f"p{n:03d}" for n in expected]

    async def test_a_cursor_stays_valid_while_documents_are_added(self, store: DocumentStore, people: str) -> None:
        for n in range(0, 20, 2):
            await store.insert(people, person(n))
        first = await store.find(people, {"tenant": "inst-a"}, limit=4)
        assert [d["_id"] for d in first.items] == ["p000", "p002", "p004", "p006"]
        assert first.next_cursor is not None
        await store.insert(people, person(1))  # before the cursor: not in later pages
        await store.insert(people, person(9))  # after it: in a later page
        rest: list[str] = []
        cursor: str | None = first.next_cursor
        while cursor is not None:
            page = await store.find(people, {"tenant": "inst-a"}, limit=4, cursor=cursor)
            rest.extend(d["_id"] for d in page.items)
            cursor = page.next_cursor
        assert rest == ["p008", "p009", "p010", "p012", "p014", "p016", "p018"]

    async def test_a_malformed_cursor_is_refused(self, store: DocumentStore, people: str) -> None:
        with pytest.raises(InvalidQueryError):
            await store.find(people, {}, cursor="not a cursor")

    async def test_documents_and_indexes_survive_a_restart(self, open_store: StoreFactory, people: str) -> None:
        first = open_store()
        stored = await first.insert(people, person(1))
        await first.close()
        second = open_store()
        assert await second.get(people, "p001") == stored
        with pytest.raises(DuplicateKeyError):
            await second.insert(people, person(2, email=stored["email"]))
        assert [d["_id"] for d in (await second.find(people, {"tenant": "inst-a", "staff": "s1"})).items] == ["p001"]

    async def test_ping_answers_when_the_store_is_up(self, store: DocumentStore) -> None:
        await store.ping()

    async def test_racing_replaces_of_one_version_let_exactly_one_win(
        self, open_store: StoreFactory, people: str
    ) -> None:
        # Several services (two connections here) write the same version at once: a real compare-and-swap lets one
        # through and refuses the rest, round after round; a check made apart from the write lets several "win".
        stores = [open_store(), open_store()]
        current = await stores[0].insert(people, person(1))
        for round_ in range(RACE_ROUNDS):
            writers = [
                stores[n % len(stores)].replace(people, {**current, "staff": f"round{round_}-writer{n}"})
                for n in range(RACE_WRITERS)
            ]
            outcomes = await asyncio.gather(*writers, return_exceptions=True)
            winners = [o for o in outcomes if isinstance(o, dict)]
            others = [o for o in outcomes if not isinstance(o, dict)]
            assert len(winners) == 1, f"round {round_}: {len(winners)} writers of version {current['_version']} won"
            assert all(isinstance(o, VersionConflictError) for o in others), others
            assert winners[0]["_version"] == current["_version"] + 1
            assert await stores[1].get(people, "p001") == winners[0]
            current = winners[0]

    async def test_a_delete_racing_replaces_of_its_version_wins_or_loses_alone(
        self, open_store: StoreFactory, people: str
    ) -> None:
        stores = [open_store(), open_store()]
        for n in range(RACE_ROUNDS):
            v1 = await stores[0].insert(people, person(n))
            doc_id = v1["_id"]
            writers: list[Awaitable[object]] = [
                stores[w % len(stores)].replace(people, {**v1, "staff": f"writer{w}"}) for w in range(RACE_WRITERS - 1)
            ]
            writers.insert(n % RACE_WRITERS, stores[n % 2].delete(people, doc_id, expected_version=1))
            outcomes = await asyncio.gather(*writers, return_exceptions=True)
            winners = [o for o in outcomes if o is True or isinstance(o, dict)]
            assert len(winners) == 1, f"round {n}: {outcomes}"
            # Writers that lost to the delete find the document gone; those that lost to a replace, a newer version.
            lost = (VersionConflictError, DocumentNotFoundError) if winners[0] is True else VersionConflictError
            assert all(isinstance(o, lost) for o in outcomes if o not in winners), outcomes
            stored = await stores[0].get(people, doc_id)
            assert stored == (None if winners[0] is True else winners[0])
