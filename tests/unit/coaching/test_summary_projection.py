"""The manager summary from its projection gives exactly the figures computed from every staff record.

`summarise` (every record's history, at every point) is the definition; the service answers from the projection.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rexvet_coaching.application.catalogue import FrameworkCatalogue
from rexvet_coaching.application.ladder_projection import COLLECTION as PROJECTION
from rexvet_coaching.application.ladder_projection import LadderProjection, person_id
from rexvet_coaching.application.records import StaffRecords
from rexvet_coaching.application.service import CoachingService
from rexvet_coaching.consumers.handlers import CoachingConsumer
from rexvet_coaching.domain import pathways, reactions
from rexvet_coaching.domain.eligibility import BADGE_ELIGIBLE, Outgoing
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import LadderChange, StaffRecord
from rexvet_coaching.domain.summary import standing_deltas, summarise, summarise_deltas
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.errors import BackendUnavailableError
from rexvet_common.events.envelope import CloudEvent, new_event, partition_key
from rexvet_common.ports.document_store import Document

from .conftest import BASE_URL, T0, achievement_for, at

pytestmark = pytest.mark.unit

TENANT = "omnia"


def _random_history(rng: random.Random, framework: Framework, length: int) -> list[LadderChange]:
    """Awards and revocations in any order, some at the same instant, some arriving later than newer ones."""
    history = []
    for _ in range(length):
        badge = rng.choice(framework.badges)
        areas = list(badge.competence_areas)
        if rng.random() < 0.2:  # the same level through another badge (an institution's own), other areas
            areas = rng.sample([a.id for a in framework.competence_areas], k=rng.randint(1, 3))
        history.append(
            LadderChange(
                at=T0 + timedelta(hours=rng.choice(range(0, 24 * 30, 7))),
                direction=badge.direction,
                level=badge.level,
                rank=framework.rank(badge.level),
                competence_areas=areas,
                change="awarded" if rng.random() < 0.65 else "revoked",
            )
        )
    return history


def _random_records(rng: random.Random, framework: Framework, staff: int) -> list[StaffRecord]:
    records = []
    for n in range(staff):
        record = StaffRecord(tenant=TENANT, staff_id=f"s-{n}")
        record.history = _random_history(rng, framework, rng.choice([0, 0, 1, 2, 3, 6, 12]))
        records.append(record)
    return records


def _points(rng: random.Random, records: list[StaffRecord]) -> list[datetime]:
    """Random instants, and exactly the instants of changes (where `<=` against `<` would show)."""
    instants = [c.at for r in records for c in r.history]
    points = [T0 - timedelta(days=1), T0 + timedelta(days=40), *rng.sample(instants, k=min(8, len(instants)))]
    points += [T0 + timedelta(minutes=rng.randint(0, 60 * 24 * 31)) for _ in range(10)]
    rng.shuffle(points)
    return points


@pytest.fixture
async def documents(tmp_path: Path) -> AsyncIterator[SqliteDocumentStore]:
    store = SqliteDocumentStore(tmp_path / "coaching.sqlite")
    yield store
    await store.close()


@pytest.mark.parametrize("seed", range(6))
def test_standing_changes_add_up_to_the_summary_of_every_record(seed: int, framework: Framework) -> None:
    rng = random.Random(seed)
    records = _random_records(rng, framework, 40)
    points = _points(rng, records)
    deltas = [d for r in records for d in standing_deltas(r.history)]
    assert summarise_deltas(len(records), deltas, framework, points) == summarise(records, framework, points)


@pytest.mark.parametrize("seed", range(3))
async def test_the_projection_converges_whatever_the_order_and_repetition_of_its_updates(
    seed: int, framework: Framework, documents: SqliteDocumentStore
) -> None:
    """Replicas sync people concurrently, with stale and repeated histories: the latest history of each wins."""
    rng = random.Random(seed)
    records = _random_records(rng, framework, 60)
    replicas = [LadderProjection(documents) for _ in range(4)]
    await replicas[0].prepare()
    updates = []
    for record in records:
        for length in range(1, len(record.history) + 1):  # every state the record went through, some twice
            seen = record.model_copy(update={"history": record.history[:length]})
            updates += [seen] * rng.choice([1, 1, 2])
    rng.shuffle(updates)
    await asyncio.gather(*(rng.choice(replicas).sync(update) for update in updates))

    points = _points(rng, records)
    deltas = await replicas[0].deltas(TENANT)
    assert summarise_deltas(len(records), deltas, framework, points) == summarise(records, framework, points)
    entries = (await documents.find(PROJECTION, {"tenant": TENANT}, limit=1000)).items
    assert sorted(e["staff_id"] for e in entries) == sorted(r.staff_id for r in records if r.history)
    assert all(e["n"] == len(r.history) for e in entries for r in records if r.staff_id == e["staff_id"])


async def test_the_projection_of_one_institution_is_not_read_for_another(
    framework: Framework, documents: SqliteDocumentStore
) -> None:
    projection = LadderProjection(documents)
    await projection.prepare()
    record = _random_records(random.Random(7), framework, 1)[0]
    record.history = _random_history(random.Random(8), framework, 4)
    await projection.sync(record)
    assert await projection.deltas("another") == []
    assert await projection.deltas(TENANT) == standing_deltas(record.history)


class ProjectionDown(SqliteDocumentStore):
    """Refuses writes to the projection while `down`: the staff record is written, its projection update fails."""

    down = False

    async def insert(self, collection: str, document: Document) -> Document:
        if self.down and collection == PROJECTION:
            raise BackendUnavailableError("projection unavailable")
        return await super().insert(collection, document)

    async def replace(self, collection: str, document: Document) -> Document:
        if self.down and collection == PROJECTION:
            raise BackendUnavailableError("projection unavailable")
        return await super().replace(collection, document)


async def _service(documents: SqliteDocumentStore, framework: Framework, now: datetime) -> CoachingService:
    records = StaffRecords(documents)
    await records.prepare()
    catalogue = FrameworkCatalogue(documents, base_url=BASE_URL, default=framework)
    await catalogue.prepare()
    return CoachingService(records, catalogue, clock=lambda: now)


async def _eligible(records: StaffRecords, framework: Framework, staff_id: str) -> dict[str, Any]:
    """Abroad/Rookie made eligible; returns the badge.eligible data."""

    def command(record: StaffRecord) -> tuple[list[Outgoing], list[Outgoing]]:
        enrolment, events = pathways.enrol(
            record, framework, "abroad-rookie", achievement=achievement_for(framework, "abroad-rookie"), now=at(0)
        )
        events += pathways.complete_step(record, enrolment.id, "learning-goals", actor=staff_id, now=at(1))
        events += pathways.complete_step(record, enrolment.id, "take-part", actor=staff_id, now=at(2))
        events += pathways.sign_off_step(record, enrolment.id, "coach-debrief", coach="c-1", now=at(3))
        events += reactions.hr_event_accepted(
            record, hr_event_id="hr-1", hr_type="mobility.completed", fields={"duration_days": 5}, occurred_at=at(4)
        )
        return events, []

    changed = await records.change(TENANT, staff_id, command)
    assert changed.result is not None
    return next(e.data for e in changed.result if e.type == BADGE_ELIGIBLE)


def _issued(eligible: dict[str, Any], minutes: int) -> CloudEvent:
    data = {
        "institution": TENANT,
        "staff_id": eligible["staff_id"],
        "credential_id": f"urn:uuid:{eligible['eligibility_id']}",
        "eligibility_id": eligible["eligibility_id"],
        "badge_id": "abroad-rookie",
        "framework_version": 1,
        "episode": 1,
        "level": "rookie",
        "issued_at": at(minutes).isoformat(),
    }
    key = partition_key(TENANT, eligible["staff_id"])
    return new_event(type="org.rexvet.badge.issued.v1", source="rexvet/test", key=key, data=data)


def _revoked(eligible: dict[str, Any], minutes: int) -> CloudEvent:
    data = {
        "institution": TENANT,
        "staff_id": eligible["staff_id"],
        "credential_id": f"urn:uuid:{eligible['eligibility_id']}",
        "badge_id": "abroad-rookie",
        "reason": "issued in error",
        "changed_at": at(minutes).isoformat(),
    }
    key = partition_key(TENANT, eligible["staff_id"])
    return new_event(type="org.rexvet.badge.revoked.v1", source="rexvet/test", key=key, data=data)


async def _summary(service: CoachingService, *, start: datetime | None, end: datetime | None) -> dict[str, Any]:
    """The daily summary as the API returns it, to compare with the domain's count from every record."""
    summary = await service.summary(TENANT, start=start, end=end, interval="day")
    return summary.model_dump(exclude_unset=True)


async def _summary_from_records(service: CoachingService, summary: dict[str, Any]) -> dict[str, Any]:
    records = [r async for r in service.records.all_in(TENANT)]
    framework = await service.catalogue.for_tenant(TENANT)
    points = [datetime.fromisoformat(s["at"]) for s in summary["series"]]
    return {"institution": TENANT, "interval": summary["interval"], **summarise(records, framework, points)}


async def test_a_failed_projection_update_converges_when_the_event_is_redelivered(
    tmp_path: Path, framework: Framework
) -> None:
    documents = ProjectionDown(tmp_path / "coaching.sqlite")
    try:
        service = await _service(documents, framework, now=at(60 * 24))
        consumer = CoachingConsumer(service.records)
        eligible = [await _eligible(service.records, framework, f"s-{n}") for n in range(3)]
        for n, data in enumerate(eligible):
            await consumer.handle(_issued(data, 10 + n))
        revoked = _revoked(eligible[0], 100)
        before = await _summary(service, start=at(0), end=at(60 * 24))  # builds the projection
        assert before == await _summary_from_records(service, before)

        documents.down = True
        with pytest.raises(BackendUnavailableError):
            await consumer.handle(revoked)  # the record is written, the projection is not: the bus will redeliver
        documents.down = False
        record = await service.records.get(TENANT, "s-0")
        assert record is not None and [c.change for c in record.history] == ["awarded", "revoked"]

        await consumer.handle(revoked)  # the redelivery: already applied to the record, the projection catches up
        await consumer.handle(revoked)  # and once more: nothing counted twice
        await consumer.handle(_issued(eligible[1], 11))  # a redelivered award, long after
        summary = await _summary(service, start=at(0), end=at(60 * 24))
        assert summary == await _summary_from_records(service, summary)
        rookies = next(
            r for r in summary["series"][-1]["by_level"] if (r["direction"], r["level"]) == ("abroad", "rookie")
        )
        assert rookies["staff"] == 2 and summary["staff_total"] == 3
    finally:
        await documents.close()


async def test_an_institution_with_records_from_before_the_projection_gets_it_built_once(
    framework: Framework, documents: SqliteDocumentStore
) -> None:
    service = await _service(documents, framework, now=at(60 * 24 * 3))
    consumer = CoachingConsumer(service.records)
    eligible = [await _eligible(service.records, framework, f"s-{n}") for n in range(4)]
    for n, data in enumerate(eligible):
        await consumer.handle(_issued(data, 60 * (n + 1)))
    await consumer.handle(_revoked(eligible[2], 60 * 30))
    await documents.delete(PROJECTION, person_id(TENANT, "s-1"))  # as if written before the projection existed
    for doc in (await documents.find(PROJECTION, {"tenant": TENANT}, limit=100)).items:
        if doc.get("kind") == "built":
            await documents.delete(PROJECTION, doc["_id"])

    summary = await _summary(service, start=None, end=None)
    assert summary == await _summary_from_records(service, summary)
    rookies = next(r for r in summary["series"][-1]["by_level"] if (r["direction"], r["level"]) == ("abroad", "rookie"))
    assert rookies["staff"] == 3

    # built once: the next summary reads the projection, not the records
    async def no_records(tenant: str, **where: Any) -> AsyncIterator[StaffRecord]:
        raise AssertionError("the summary read every staff record again")
        yield  # pragma: no cover

    service.records.all_in = no_records  # type: ignore[method-assign]
    assert await _summary(service, start=None, end=None) == summary
