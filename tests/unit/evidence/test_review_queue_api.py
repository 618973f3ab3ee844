"""A coach's evidence to review in one answer (`POST /v1/evidence/review-queue`): their coachees' only, waiting for a
review, the longest waiting first (a resubmission waits since it was resent), in the caller's institution only."""

from __future__ import annotations

import pytest

from rexvet_evidence.application import records

from .harness import Service, assert_problem
from .test_revision_api import RETURN, resubmit, review

pytestmark = pytest.mark.unit


async def queue(service: Service, staff_ids: list[str], coach: str = "carol", tenant: str | None = None) -> list[str]:
    response = await service.client.post(
        "/v1/evidence/review-queue", json={"staff_ids": staff_ids}, headers=service.auth(coach, "coach", tenant=tenant)
    )
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("few", [True, False], ids=["one query per person", "one pass over the institution"])
async def test_the_coachees_waiting_evidence_longest_waiting_first(
    service: Service, few: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "FEW_STAFF", 10 if few else 0)
    resent = await service.submit("alice", title="first sent, returned, resent last")
    bob = await service.submit("bob", title="bob's")
    alice = await service.submit("alice", title="alice's second")
    await service.submit("zoe", title="not a coachee")
    approved = await service.submit("bob", title="approved")
    assert (await review(service, approved["id"], {"decision": "approved"})).status_code == 200
    assert (await review(service, resent["id"], RETURN)).status_code == 200
    assert await queue(service, ["alice", "bob"]) == [bob["id"], alice["id"]]  # returned: with its owner
    assert (await resubmit(service, resent["id"], {"description": "with the letter"})).status_code == 200
    assert await queue(service, ["alice", "bob"]) == [bob["id"], alice["id"], resent["id"]]
    assert await queue(service, ["bob", "nobody"]) == [bob["id"]]
    assert await queue(service, []) == []


async def test_another_institution_sees_none_and_staff_are_refused(service: Service) -> None:
    mine = await service.submit("alice")
    assert await queue(service, ["alice"], coach="zed", tenant="tartu-vec") == []
    # The evidence service does not know who coaches whom: any coach of the institution reads its evidence, as
    # with GET /v1/evidence, and naming people only narrows what comes back.
    assert await queue(service, ["alice"], coach="dora") == [mine["id"]]
    staff = await service.client.post(
        "/v1/evidence/review-queue", json={"staff_ids": ["alice"]}, headers=service.auth("alice")
    )
    assert_problem(staff, 403)
    anonymous = await service.client.post("/v1/evidence/review-queue", json={"staff_ids": ["alice"]})
    assert_problem(anonymous, 401)


async def test_a_bad_query_is_a_problem_naming_the_field(service: Service) -> None:
    coach = service.auth("carol", "coach")
    for body in ({"staff_ids": [""]}, {"staff_ids": "alice"}, {}, {"staff_ids": ["a"], "extra": 1}):
        response = await service.client.post("/v1/evidence/review-queue", json=body, headers=coach)
        problem = assert_problem(response, 422)
        assert problem["errors"], problem
