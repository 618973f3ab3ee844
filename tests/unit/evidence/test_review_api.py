"""Coaches review evidence: the decision is recorded once and announced on rexvet.evidence.v1 for coaching."""

from __future__ import annotations

import asyncio

import pytest

from rexvet_common.events import topics

from .harness import Service, assert_problem, valid_payload

pytestmark = pytest.mark.unit

REVIEWED = "org.rexvet.evidence.reviewed.v1"
APPROVE = {"decision": "approved", "comment": "Well documented", "narrative": "Hosted a guest teacher for a week"}


async def test_an_approval_is_recorded_and_announced_with_the_evidence_links(service: Service) -> None:
    evidence = await service.submit(
        badge_id="mobility-bronze", requirement_id="host-guest", url="https://portfolio.example/alice/guest"
    )
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review", json=APPROVE, headers=service.auth("carol", "coach")
    )
    assert response.status_code == 200, response.text
    reviewed = response.json()
    assert reviewed["status"] == "approved"
    assert reviewed["review"]["reviewer"] == "carol"
    assert reviewed["review"]["comment"] == "Well documented"

    [(topic, event)] = await service.events_of(REVIEWED)
    assert topic == topics.EVIDENCE
    assert event.partitionkey == "omnia:alice"
    assert event.subject == evidence["id"]
    data = valid_payload(event)
    assert data["institution"] == "omnia"
    assert data["staff_id"] == "alice"
    assert data["evidence_id"] == evidence["id"]
    assert data["decision"] == "approved"
    assert data["reviewer"] == "carol"
    assert data["badge_id"] == "mobility-bronze"
    assert data["requirement_id"] == "host-guest"
    assert data["narrative"] == "Hosted a guest teacher for a week"
    assert data["url"] == "https://portfolio.example/alice/guest"  # the owner's link, carried over


async def test_a_rejection_with_the_coachs_own_link(service: Service) -> None:
    evidence = await service.submit()
    body = {"decision": "rejected", "comment": "Add the host's letter", "url": "https://portfolio.example/a"}
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review", json=body, headers=service.auth("carol", "coach")
    )
    assert response.status_code == 200, response.text
    [(_, event)] = await service.events_of(REVIEWED)
    assert event.data["decision"] == "rejected"
    assert event.data["url"] == "https://portfolio.example/a"
    assert "narrative" not in event.data


async def test_reviewing_twice_is_409_and_announced_once(service: Service) -> None:
    evidence = await service.submit()
    path = f"/v1/evidence/{evidence['id']}/review"
    first = await service.client.post(path, json=APPROVE, headers=service.auth("carol", "coach"))
    second = await service.client.post(
        path, json={"decision": "rejected", "comment": "no"}, headers=service.auth("dave", "coach")
    )
    assert first.status_code == 200
    assert_problem(second, 409, "already reviewed")
    [(_, event)] = await service.events_of(REVIEWED)
    assert event.data["decision"] == "approved"


async def test_nobody_reviews_their_own_evidence(service: Service) -> None:
    # Alice is staff and coach: she may review others' evidence, never hers.
    evidence = await service.submit("alice")
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review", json=APPROVE, headers=service.auth("alice", "coach")
    )
    assert_problem(response, 403, "your own evidence")
    read = await service.client.get(f"/v1/evidence/{evidence['id']}", headers=service.auth("alice"))
    assert read.json()["status"] == "submitted"
    assert await service.events_of(REVIEWED) == []


async def test_another_institutions_coach_gets_404(service: Service) -> None:
    evidence = await service.submit()
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review", json=APPROVE, headers=service.auth("zed", "coach", tenant="tartu-vec")
    )
    missing = await service.client.post(
        "/v1/evidence/no-such-id/review", json=APPROVE, headers=service.auth("carol", "coach")
    )
    assert_problem(response, 404, "no such evidence")
    assert_problem(missing, 404, "no such evidence")
    assert await service.events_of(REVIEWED) == []


async def test_staff_and_coaches_without_the_scope_may_not_review(service: Service) -> None:
    evidence = await service.submit()
    path = f"/v1/evidence/{evidence['id']}/review"
    as_staff = await service.client.post(
        path, json=APPROVE, headers=service.auth("bob", "staff", scopes=["evidence:review"])
    )
    no_scope = await service.client.post(
        path, json=APPROVE, headers=service.auth("carol", "coach", scopes=["evidence:read"])
    )
    assert_problem(as_staff, 403, "roles")
    assert_problem(no_scope, 403, "evidence:review")


async def test_an_approval_needs_no_comment_and_shows_none(service: Service) -> None:
    evidence = await service.submit()
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review", json={"decision": "approved"}, headers=service.auth("carol", "coach")
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    assert response.json()["review"]["comment"] is None
    assert len(await service.events_of(REVIEWED)) == 1


async def test_a_rejection_without_a_comment_says_which_field_and_why(service: Service) -> None:
    evidence = await service.submit()
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review", json={"decision": "rejected"}, headers=service.auth("carol", "coach")
    )
    problem = assert_problem(response, 422, "a rejection needs a `comment`")
    assert problem["errors"] == [{"location": "body.comment", "message": problem["detail"]}]


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"decision": "maybe", "comment": "x"}, "body.decision"),
        ({"decision": "rejected"}, "body.comment"),
        ({"decision": "rejected", "comment": ""}, "body.comment"),
        ({"decision": "approved", "comment": ""}, "body.comment"),
        ({"decision": "approved", "comment": "x", "url": "not a url"}, "body.url"),
        ({"decision": "approved", "comment": "x", "extra": 1}, "body.extra"),
    ],
)
async def test_a_bad_review_is_422_and_changes_nothing(
    service: Service, body: dict[str, object], location: str
) -> None:
    evidence = await service.submit()
    response = await service.client.post(
        f"/v1/evidence/{evidence['id']}/review", json=body, headers=service.auth("carol", "coach")
    )
    problem = assert_problem(response, 422)
    assert location in [error["location"] for error in problem["errors"]]
    read = await service.client.get(f"/v1/evidence/{evidence['id']}", headers=service.auth("alice"))
    assert read.json()["status"] == "submitted"


async def test_two_coaches_at_once_one_wins_and_one_event_is_sent(service: Service) -> None:
    evidence = await service.submit()
    path = f"/v1/evidence/{evidence['id']}/review"
    responses = await asyncio.gather(
        service.client.post(path, json=APPROVE, headers=service.auth("carol", "coach")),
        service.client.post(
            path, json={"decision": "rejected", "comment": "no"}, headers=service.auth("dave", "coach")
        ),
    )
    assert sorted(response.status_code for response in responses) == [200, 409]
    [(_, event)] = await service.events_of(REVIEWED)
    winner = next(response for response in responses if response.status_code == 200)
    assert event.data["reviewer"] == winner.json()["review"]["reviewer"]
