"""What the evidence service publishes is what the coaching consumer applies: fed to it, the staff record changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexvet_coaching.application.records import StaffRecords
from rexvet_coaching.consumers.handlers import CoachingConsumer
from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore

from .harness import Service

pytestmark = pytest.mark.unit


async def test_an_hr_event_and_an_approval_land_on_the_coaching_record(service: Service, tmp_path: Path) -> None:
    hr = {
        "id": "HR-77",
        "type": "staff.joined",
        "staff_id": "alice",
        "occurred_at": "2026-01-05T09:00:00Z",
        "fields": {"email": "alice@omnia.example"},
    }
    pushed = await service.client.post("/v1/hr/events", json=hr, headers=service.auth("hris", "hr-system"))
    assert pushed.status_code == 201, pushed.text
    evidence = await service.submit(
        "alice", badge_id="mobility-bronze", requirement_id="host-guest", url="https://portfolio.example/alice"
    )
    reviewed = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review",
        json={"decision": "approved", "comment": "ok", "narrative": "Hosted a guest teacher"},
        headers=service.auth("carol", "coach"),
    )
    assert reviewed.status_code == 200, reviewed.text

    store = SqliteDocumentStore(tmp_path / "coaching.sqlite3")
    try:
        staff_records = StaffRecords(store)
        await staff_records.prepare()
        consumer = CoachingConsumer(staff_records)
        for _, event in await service.drained():
            await consumer.handle(event)
        record = await staff_records.get("omnia", "alice")
    finally:
        await store.close()

    assert record is not None
    assert [h.hr_event_id for h in record.hr_events] == ["HR-77"]
    assert record.recipient.email == "alice@omnia.example"
    [approved] = record.evidence
    assert approved.evidence_id == evidence["id"]
    assert approved.badge_id == "mobility-bronze"
    assert approved.requirement_id == "host-guest"
    assert approved.narrative == "Hosted a guest teacher"
    assert approved.url == "https://portfolio.example/alice"
