"""HR systems push events: stored once per (institution, HR id), announced once on rexvet.hr.v1."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest

from rexvet_common.events import topics
from rexvet_evidence.application import hr_events
from rexvet_evidence.domain.hr_event import hr_record_id

from .harness import Service, assert_problem, valid_payload

pytestmark = pytest.mark.unit

ACCEPTED = "org.rexvet.hr.event.accepted.v1"


def hr_event(hr_id: str = "HR-2026-0001", **overrides: Any) -> dict[str, Any]:
    return {
        "id": hr_id,
        "type": "mobility.completed",
        "staff_id": "s-100",
        "occurred_at": "2026-03-02T10:00:00+02:00",
        "fields": {"country": "EE", "days": 5},
        **overrides,
    }


async def test_an_accepted_event_is_stored_and_announced_with_its_key(service: Service) -> None:
    response = await service.client.post("/v1/hr/events", json=hr_event(), headers=service.auth("hris", "hr-system"))
    assert response.status_code == 201, response.text
    assert response.json()["id"] == "HR-2026-0001"
    assert response.json()["fields"] == {"country": "EE", "days": 5}

    [(topic, event)] = await service.events_of(ACCEPTED)
    assert topic == topics.HR
    assert event.partitionkey == "omnia:s-100"
    data = valid_payload(event)
    assert data["institution"] == "omnia"
    assert data["hr_event_id"] == "HR-2026-0001"
    assert data["hr_type"] == "mobility.completed"
    assert data["fields"] == {"country": "EE", "days": 5}
    assert datetime.fromisoformat(data["occurred_at"]) == datetime.fromisoformat("2026-03-02T08:00:00+00:00")


async def test_a_retry_is_answered_with_the_stored_record_and_announced_once(service: Service) -> None:
    headers = service.auth("hris", "hr-system")
    first = await service.client.post("/v1/hr/events", json=hr_event(), headers=headers)
    # The same instant written in UTC is the same content.
    retry = await service.client.post(
        "/v1/hr/events", json=hr_event(occurred_at="2026-03-02T08:00:00Z"), headers=headers
    )
    assert first.status_code == 201
    assert retry.status_code == 200, retry.text
    assert retry.json() == first.json()
    assert len(await service.events_of(ACCEPTED)) == 1


async def test_the_same_id_with_other_content_is_409_and_changes_nothing(service: Service) -> None:
    headers = service.auth("hris", "hr-system")
    await service.client.post("/v1/hr/events", json=hr_event(), headers=headers)
    changed = await service.client.post("/v1/hr/events", json=hr_event(staff_id="s-200"), headers=headers)
    assert_problem(changed, 409, "different content")
    [(_, event)] = await service.events_of(ACCEPTED)
    assert event.data["staff_id"] == "s-100"


async def test_the_same_hr_id_in_two_institutions_is_two_events(service: Service) -> None:
    for tenant in ("omnia", "tartu-vec"):
        response = await service.client.post(
            "/v1/hr/events", json=hr_event(), headers=service.auth("hris", "hr-system", tenant=tenant)
        )
        assert response.status_code == 201, response.text
    events = await service.events_of(ACCEPTED)
    assert sorted(event.partitionkey for _, event in events) == ["omnia:s-100", "tartu-vec:s-100"]


@pytest.mark.parametrize(
    ("overrides", "location"),
    [
        ({"type": "Staff Joined"}, "body.type"),
        ({"type": "joined"}, "body.type"),
        ({"occurred_at": "2026-03-02T10:00:00"}, "body.occurred_at"),  # no offset: which instant?
        ({"staff_id": ""}, "body.staff_id"),
        ({"id": "has space"}, "body.id"),
        ({"fields": ["not", "an", "object"]}, "body.fields"),
        ({"institution": "someone-else"}, "body.institution"),  # the tenant comes from the token only
        # kept as sent, so storable on every document store (FerretDB refuses these)
        ({"fields": {"org.unit": "vet"}}, "body.fields"),
        ({"fields": {"periods": [["2026-03-01", "2026-03-14"]]}}, "body.fields"),
        ({"fields": {"note": "nul\x00byte"}}, "body.fields"),
    ],
)
async def test_bad_input_is_a_422_problem_naming_the_field_and_nothing_is_stored(
    service: Service, overrides: dict[str, Any], location: str
) -> None:
    response = await service.client.post(
        "/v1/hr/events", json=hr_event(**overrides), headers=service.auth("hris", "hr-system")
    )
    body = assert_problem(response, 422)
    # The field itself, or (refused at the request edge, as the last three are) the part of it that is refused.
    located = [error["location"] for error in body["errors"]]
    assert any(found == location or found.startswith(location + ".") for found in located), located
    assert await service.documents.count("hr_events") == 0


async def test_only_an_hr_system_with_the_scope_may_push(service: Service) -> None:
    as_staff = await service.client.post(
        "/v1/hr/events", json=hr_event(), headers=service.auth("alice", "staff", scopes=["hr:write"])
    )
    without_scope = await service.client.post(
        "/v1/hr/events", json=hr_event(), headers=service.auth("hris", "hr-system", scopes=["evidence:read"])
    )
    assert_problem(as_staff, 403, "roles")
    assert_problem(without_scope, 403, "hr:write")
    assert await service.documents.count("hr_events") == 0


async def test_a_batch_reports_each_item(service: Service) -> None:
    headers = service.auth("hris", "hr-system")
    await service.client.post("/v1/hr/events", json=hr_event("HR-1"), headers=headers)
    batch = {
        "events": [
            hr_event("HR-1"),  # a retry
            hr_event("HR-2", type="guest.hosted"),
            hr_event("HR-3", type="NOT A TYPE"),
            hr_event("HR-1", staff_id="s-999"),  # id reused
            hr_event("HR-2", type="guest.hosted"),  # a retry within the batch
        ]
    }
    response = await service.client.post("/v1/hr/events:batch", json=batch, headers=headers)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["index"], r["id"], r["status"]) for r in results] == [
        (0, "HR-1", 200),
        (1, "HR-2", 201),
        (2, "HR-3", 422),
        (3, "HR-1", 409),
        (4, "HR-2", 200),
    ]
    assert results[2]["problem"]["errors"][0]["location"] == "type"
    assert results[3]["problem"]["status"] == 409
    events = await service.events_of(ACCEPTED)
    assert sorted(event.data["hr_event_id"] for _, event in events) == ["HR-1", "HR-2"]


async def test_an_empty_or_oversized_batch_is_422(service: Service) -> None:
    headers = service.auth("hris", "hr-system")
    empty = await service.client.post("/v1/hr/events:batch", json={"events": []}, headers=headers)
    huge = await service.client.post(
        "/v1/hr/events:batch", json={"events": [hr_event(f"HR-{i}") for i in range(101)]}, headers=headers
    )
    assert_problem(empty, 422)
    assert_problem(huge, 422)
    assert await service.documents.count("hr_events") == 0


async def test_simultaneous_retries_store_and_announce_once(service: Service) -> None:
    headers = service.auth("hris", "hr-system")
    responses = await asyncio.gather(
        *(service.client.post("/v1/hr/events", json=hr_event(), headers=headers) for _ in range(5))
    )
    assert sorted(response.status_code for response in responses) == [200, 200, 200, 200, 201]
    assert len(await service.events_of(ACCEPTED)) == 1
    assert await service.documents.count("hr_events") == 1


async def test_an_accepted_event_names_its_record_to_the_outbox_relay(service: Service) -> None:
    """Named, the relay fetches the record by id; unnamed, every push would cost a query for pending records."""
    context = service.app.state.runtime.context
    wake = context.wake_relay
    woken: list[tuple[Any, ...]] = []

    def recording_wake(*named: Any) -> None:
        woken.append(named)
        wake(*named)

    context.wake_relay = recording_wake
    response = await service.client.post("/v1/hr/events", json=hr_event(), headers=service.auth("hris", "hr-system"))
    assert response.status_code == 201, response.text
    assert woken == [(hr_events.COLLECTION, hr_record_id("omnia", "HR-2026-0001"))]
    assert len(await service.events_of(ACCEPTED)) == 1
