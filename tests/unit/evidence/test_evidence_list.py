"""Listing evidence: a coach's queue of what awaits review, tenant-scoped; staff see their own only."""

from __future__ import annotations

import pytest

from .harness import Service, assert_problem

pytestmark = pytest.mark.unit


async def ids(service: Service, query: str, headers: dict[str, str]) -> list[str]:
    response = await service.client.get(f"/v1/evidence{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_a_coach_sees_the_institutions_pending_evidence_oldest_first(service: Service) -> None:
    first = await service.submit("alice", title="first")
    second = await service.submit("bob", title="second")
    reviewed = await service.submit("bob", title="reviewed")
    await service.client.post(
        f"/v1/evidence/{reviewed['id']}/review",
        json={"decision": "approved", "comment": "ok"},
        headers=service.auth("carol", "coach"),
    )
    foreign_staff = service.auth("alice", tenant="tartu-vec")
    await service.client.post("/v1/evidence", json={"title": "elsewhere"}, headers=foreign_staff)

    coach = service.auth("carol", "coach")
    assert await ids(service, "?state=submitted", coach) == [first["id"], second["id"]]
    assert await ids(service, "?state=approved", coach) == [reviewed["id"]]
    assert await ids(service, "?state=submitted&staff_id=bob", coach) == [second["id"]]
    assert len(await ids(service, "", coach)) == 3
    assert len(await ids(service, "", service.auth("zed", "coach", tenant="tartu-vec"))) == 1


async def test_staff_see_only_their_own_whatever_they_ask(service: Service) -> None:
    mine = await service.submit("alice")
    await service.submit("bob")
    alice = service.auth("alice")
    assert await ids(service, "?state=submitted", alice) == [mine["id"]]
    assert await ids(service, "?staff_id=bob", alice) == [mine["id"]]


async def test_pages_follow_the_cursor(service: Service) -> None:
    submitted = [(await service.submit("alice", title=f"t{i}"))["id"] for i in range(5)]
    coach = service.auth("carol", "coach")
    seen: list[str] = []
    cursor = None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await service.client.get(f"/v1/evidence{query}", headers=coach)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert seen == submitted


async def test_a_bad_state_or_cursor_is_a_problem(service: Service) -> None:
    coach = service.auth("carol", "coach")
    assert_problem(await service.client.get("/v1/evidence?state=pending", headers=coach), 422)
    assert_problem(await service.client.get("/v1/evidence?cursor=garbage", headers=coach), 400)
