"""A staff record names its badge definitions instead of carrying them; records written inline before still work.

The figures printed here (run with `-s`) are the ones in bench/coaching/README.md.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rexvet_coaching.application.catalogue import FrameworkCatalogue
from rexvet_coaching.application.definitions import COLLECTION as DEFINITIONS
from rexvet_coaching.application.definitions import MissingDefinition
from rexvet_coaching.application.records import COLLECTION, StaffRecords
from rexvet_coaching.application.service import CoachingService
from rexvet_coaching.consumers.handlers import CoachingConsumer
from rexvet_coaching.domain.eligibility import BADGE_ELIGIBLE
from rexvet_coaching.domain.framework import Framework
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.events import topics
from rexvet_common.events.envelope import new_event, partition_key
from rexvet_common.messaging.idempotency import APPLIED_FIELD
from rexvet_common.messaging.outbox import OUTBOX_FIELD, PENDING_FIELD, SINCE_FIELD
from rexvet_common.ports.document_store import Document

from .conftest import BASE_URL, at

pytestmark = pytest.mark.unit

TENANT = "omnia"
STAFF = "s-1"
TRANSIENT = (OUTBOX_FIELD, PENDING_FIELD, SINCE_FIELD)  # emptied by the outbox relay once published


@dataclass
class Coaching:
    documents: SqliteDocumentStore
    records: StaffRecords
    service: CoachingService
    consumer: CoachingConsumer
    catalogue: FrameworkCatalogue


async def _coaching(documents: SqliteDocumentStore, framework: Framework) -> Coaching:
    records = StaffRecords(documents)
    await records.prepare()
    catalogue = FrameworkCatalogue(documents, base_url=BASE_URL, default=framework)
    await catalogue.prepare()
    service = CoachingService(records, catalogue, clock=lambda: at(0))
    return Coaching(documents, records, service, CoachingConsumer(records), catalogue)


@pytest.fixture
async def coaching(tmp_path: Path, framework: Framework) -> AsyncIterator[Coaching]:
    documents = SqliteDocumentStore(tmp_path / "coaching.sqlite")
    yield await _coaching(documents, framework)
    await documents.close()


async def _deliver(coaching: Coaching, topic: str, type_: str, data: dict[str, Any]) -> None:
    event = new_event(type=type_, source="rexvet/test", key=partition_key(TENANT, STAFF), data=data)
    await coaching.consumer.handle(event)


async def _one_awarded_one_active(coaching: Coaching) -> dict[str, Any]:
    """Abroad/Rookie earned (steps, HR events, approved evidence, issued), then Abroad/Advanced begun."""
    service = coaching.service
    await service.set_recipient(TENANT, STAFF, email="sanna@omnia.example", did=None)
    rookie = await service.enrol(TENANT, STAFF, "abroad-rookie", coach_id="c-1")
    for step in ("learning-goals", "take-part"):
        await service.complete_step(TENANT, STAFF, rookie.id, step)
    await service.sign_off(TENANT, "c-1", STAFF, rookie.id, "coach-debrief")
    base = {"institution": TENANT, "staff_id": STAFF}
    for n, hr_type in enumerate(("staff.joined", "training.attended", "mobility.completed")):
        fields: dict[str, Any] = {"duration_days": 3, "hours": 8} if n else {"email": "sanna@omnia.example"}
        hr = {**base, "hr_event_id": f"hr-{n}", "hr_type": hr_type, "occurred_at": at(n).isoformat(), "fields": fields}
        await _deliver(coaching, topics.HR, "org.rexvet.hr.event.accepted.v1", hr)
    reviewed = {
        **base,
        "evidence_id": "ev-42",
        "decision": "approved",
        "reviewer": "c-1",
        "badge_id": "abroad-rookie",
        "requirement_id": "mobility",
        "narrative": "Two weeks of job shadowing at a VET school in Tallinn",
        "url": "https://portfolio.example.org/sanna/tallinn",
        "reviewed_at": at(5).isoformat(),
    }
    await _deliver(coaching, topics.EVIDENCE, "org.rexvet.evidence.reviewed.v1", reviewed)
    record = await coaching.records.get(TENANT, STAFF)
    assert record is not None
    enrolment = record.enrolment(rookie.id)
    assert enrolment is not None and enrolment.status == "eligible" and enrolment.eligibility_id is not None
    issued = {
        **base,
        "credential_id": "urn:uuid:0b1e5a1c-7c7e-4a0c-9d55-1f6f1b9f0c01",
        "eligibility_id": enrolment.eligibility_id,
        "badge_id": "abroad-rookie",
        "framework_version": 1,
        "episode": 1,
        "level": "rookie",
        "issued_at": at(6).isoformat(),
    }
    await _deliver(coaching, topics.ISSUER, "org.rexvet.badge.issued.v1", issued)
    await service.enrol(TENANT, STAFF, "abroad-advanced")
    document = await coaching.documents.get(COLLECTION, f"{TENANT}:{STAFF}")
    assert document is not None
    return document


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def _at_rest(document: Document) -> Document:
    return {k: v for k, v in document.items() if k not in TRANSIENT}


async def _inline(coaching: Coaching, document: Document) -> Document:
    """The same record as earlier releases stored it: each enrolment with its badge and Achievement inline."""
    enrolments = []
    for enrolment in document["enrolments"]:
        stored = await coaching.documents.get(DEFINITIONS, enrolment["definition"])
        assert stored is not None
        inline = {k: v for k, v in enrolment.items() if k != "definition"}
        enrolments.append({**inline, "badge": stored["badge"], "achievement": stored["achievement"]})
    return {**document, "enrolments": enrolments}


async def test_a_record_names_its_definitions_and_is_a_fraction_of_the_inline_size(coaching: Coaching) -> None:
    document = _at_rest(await _one_awarded_one_active(coaching))
    assert [e["status"] for e in document["enrolments"]] == ["awarded", "active"]
    assert all(set(e) >= {"definition"} and not set(e) & {"badge", "achievement"} for e in document["enrolments"])
    inline = await _inline(coaching, document)
    parts = {name: _size(document.get(name)) for name in ("enrolments", "history", "hr_events", "evidence")}
    parts["applied event ids"] = _size(document.get(APPLIED_FIELD))
    parts["eligibility_ids"] = _size(document.get("eligibility_ids"))
    print(f"\nstaff record at rest: {_size(inline)} bytes with definitions inline, {_size(document)} bytes now")
    print(f"inline enrolments: {_size(inline['enrolments'])} bytes; parts now: {parts}")
    assert _size(document) * 3 < _size(inline)


async def test_a_record_stored_with_definitions_inline_reads_the_same_and_slims_on_its_next_write(
    tmp_path: Path, coaching: Coaching, framework: Framework
) -> None:
    document = _at_rest(await _one_awarded_one_active(coaching))
    inline = await _inline(coaching, document)
    ladder = await coaching.service.ladder(TENANT, STAFF)
    enrolments = await coaching.service.enrolments(TENANT, STAFF)

    # a store holding only what an earlier release wrote: the inline record, no definitions collection
    old_store = SqliteDocumentStore(tmp_path / "earlier-release.sqlite")
    try:
        old = await _coaching(old_store, framework)
        await old_store.insert(COLLECTION, {k: v for k, v in inline.items() if k != "_version"})
        assert await old_store.count(DEFINITIONS) == 0
        assert await old.service.ladder(TENANT, STAFF) == ladder
        assert await old.service.enrolments(TENANT, STAFF) == enrolments

        # the next write stores the definitions first, then the record without them
        advanced = next(e for e in enrolments if e.status == "active")
        step = next(s.id for s in advanced.steps if s.state == "open" and s.sign_off == "self")
        await old.service.complete_step(TENANT, STAFF, advanced.id, step)
        rewritten = await old_store.get(COLLECTION, f"{TENANT}:{STAFF}")
        assert rewritten is not None
        assert [e["definition"] for e in rewritten["enrolments"]] == [e["definition"] for e in document["enrolments"]]
        assert not any({"badge", "achievement"} & set(e) for e in rewritten["enrolments"])
        assert await old_store.count(DEFINITIONS) == 2

        # and a fresh process (nothing cached) reads it back from the definitions
        fresh = await _coaching(old_store, framework)
        assert len(await fresh.service.enrolments(TENANT, STAFF)) == 2
    finally:
        await old_store.close()


async def test_badge_eligible_carries_the_achievement_the_enrolment_was_made_under(coaching: Coaching) -> None:
    """The payload's Achievement comes from the stored definition, byte for byte what was rendered at enrolment."""
    await _one_awarded_one_active(coaching)
    document = await coaching.documents.get(COLLECTION, f"{TENANT}:{STAFF}")
    assert document is not None
    eligible = [e["event"] for e in document[OUTBOX_FIELD] if e["event"]["type"] == BADGE_ELIGIBLE]
    assert len(eligible) == 1
    framework = await coaching.catalogue.get(1)
    badge = coaching.catalogue.badge(framework, "abroad-rookie")
    assert eligible[0]["data"]["achievement"] == coaching.catalogue.achievement(framework, badge, TENANT)


async def test_a_record_naming_a_definition_the_store_lacks_is_a_clear_error(coaching: Coaching) -> None:
    document = await _one_awarded_one_active(coaching)
    broken = [{**e, "definition": "sha256:" + "0" * 64} for e in document["enrolments"]]
    await coaching.documents.replace(COLLECTION, {**document, "enrolments": broken})
    fresh = StaffRecords(coaching.documents)
    with pytest.raises(MissingDefinition, match="is not stored"):
        await fresh.get(TENANT, STAFF)


async def test_an_enrolment_keeps_its_institution_badge_when_the_extension_is_replaced_in_place(
    coaching: Coaching, framework: Framework
) -> None:
    """The extension document is replaced, not versioned: the enrolment's content hash still names what it began."""
    own = framework.badges[0].model_dump(mode="json")
    own.update(id="omnia-guest-week", title="Omnia international guest week")
    await coaching.catalogue.set_extension(TENANT, {"base_version": 1, "badges": [own]}, updated_by="admin")
    enrolment = await coaching.service.enrol(TENANT, STAFF, "omnia-guest-week")
    before = [s.id for s in enrolment.steps]

    changed = {**own, "title": "Omnia guest week, second edition"}
    changed["module"] = {**own["module"], "steps": [{**own["module"]["steps"][0], "id": "only-step"}]}
    await coaching.catalogue.set_extension(TENANT, {"base_version": 1, "badges": [changed]}, updated_by="admin")

    # another process, nothing cached: the record's reference still resolves to the badge it was made under
    fresh = await _coaching(coaching.documents, framework)
    framework_now = await fresh.catalogue.for_tenant(TENANT)
    assert [s.id for s in fresh.catalogue.badge(framework_now, "omnia-guest-week").module.steps] == ["only-step"]
    kept = await fresh.service.enrolment(TENANT, STAFF, enrolment.id)
    assert kept.title == "Omnia international guest week"
    assert [s.id for s in kept.steps] == before != ["only-step"]
