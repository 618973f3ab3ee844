"""How many calls to the other services each page makes (issue 16 aims for one or two), counted at our ports."""

from __future__ import annotations

import pytest

from .calls import record_calls
from .harness import PORTAL, World
from .test_coach_pages import coach_browser, evidence_link, staff_with_evidence

pytestmark = pytest.mark.unit


async def test_the_ladder_page_makes_two_calls_to_coaching(w: World) -> None:
    await w.sign_in(sub="alice", name="Alice Virtanen")
    calls = record_calls(w.portal)
    page = await w.browser.get(PORTAL + "/ladder")
    assert page.status_code == 200
    assert calls == [("coaching", "ladder"), ("coaching", "framework")]


async def test_the_coach_pages_calls(w: World) -> None:
    await staff_with_evidence(w)
    async with coach_browser(w) as coach:
        calls = record_calls(w.portal)
        queue = await coach.browser.get(PORTAL + "/coach")
        assert queue.status_code == 200 and "Review: Job shadowing in Tallinn" in queue.text
        # Coaching's queue (names, steps), then the evidence service's filtered review queue: never a page per 200.
        assert calls == [("coaching", "coach_queue"), ("evidence", "review_queue")]

        calls.clear()
        evidence = await coach.browser.get(PORTAL + evidence_link(queue.text))
        assert evidence.status_code == 200
        assert calls == [
            ("evidence", "record_with_file_link"),  # the record, its history and its file's link
            ("coaching", "coach_queue"),  # the owner's name and the navigation's sign-off count
            ("evidence", "review_queue"),  # the navigation's review count
        ]

        calls.clear()
        coachee = await coach.browser.get(PORTAL + "/coach/staff/alice")
        assert coachee.status_code == 200
        assert calls == [
            ("coaching", "coach_queue"),  # with alice's ladder and pathways, her name and the sign-off count
            ("coaching", "framework"),
            ("evidence", "review_queue"),  # the navigation's review count
        ]
