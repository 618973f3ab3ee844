"""The coach's pages against the real coaching and evidence services: the queue, a coachee, the review loop."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from rexvet_issuer.token_service.tokens import mint_access_token

from .harness import AUDIENCE, EVIDENCE, ISSUER, PORTAL, World, hidden_fields
from .test_pathway_pages import enrol, upload

pytestmark = pytest.mark.unit

RETURN_COMMENT = "Add the host school's confirmation of the dates."


@asynccontextmanager
async def coach_browser(w: World, sub: str = "carl", name: str = "Carl Coach") -> AsyncIterator[World]:
    """A second browser (its own cookies) signed in as a coach, beside the staff member's."""
    async with httpx.AsyncClient(transport=w.hosts, follow_redirects=True, base_url=PORTAL) as browser:
        coach = dataclasses.replace(w, browser=browser)
        landed = await coach.sign_in(sub=sub, name=name, roles=("coach",), path="/coach")
        assert landed.status_code == 200, landed.text
        yield coach


async def staff_with_evidence(w: World) -> str:
    """Alice signs in, enrols with Carl as her coach and sends evidence; her enrolment's id."""
    await w.sign_in(sub="alice", name="Alice Virtanen")
    enrolment_id = await enrol(w)
    csrf = hidden_fields((await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")).text)["csrf_token"]
    sent = await w.browser.post(PORTAL + f"/pathways/{enrolment_id}/evidence", **upload(csrf))
    assert sent.status_code == 200, sent.text
    return enrolment_id


def evidence_link(queue_html: str) -> str:
    found = re.search(r'href="(/coach/evidence/[^"]+)"', queue_html)
    assert found, "the queue links no evidence"
    return found.group(1)


async def test_the_queue_holds_the_sign_off_and_the_evidence_by_name_with_counts_in_the_navigation(w: World) -> None:
    await staff_with_evidence(w)
    async with coach_browser(w) as coach:
        queue = await coach.browser.get(PORTAL + "/coach")
        assert queue.status_code == 200
        assert "Sign off: Debrief with your coach" in queue.text
        assert "Review: Job shadowing in Tallinn" in queue.text
        assert "Alice Virtanen" in queue.text  # people, not ids
        assert "(1 to sign off, 1 to review)" in queue.text  # the counts in the navigation
        # Alice has not closed her own steps before the debrief, so its sign-off is not asked for yet: after the
        # evidence, which waits since it was sent.
        assert queue.text.index("Review: Job shadowing") < queue.text.index("Sign off: Debrief")
        assert "asked on" not in queue.text


async def test_a_coach_signs_off_a_step_from_the_queue(w: World) -> None:
    enrolment_id = await staff_with_evidence(w)
    async with coach_browser(w) as coach:
        queue = await coach.browser.get(PORTAL + "/coach")
        fields = hidden_fields(queue.text)
        refused = await coach.browser.post(
            PORTAL + "/coach/sign-off",
            data={"staff_id": "alice", "enrolment_id": enrolment_id, "step_id": "coach-debrief"},
        )
        assert refused.status_code == 403  # no CSRF token: nothing signed off
        signed = await coach.browser.post(
            PORTAL + "/coach/sign-off",
            data={
                "csrf_token": fields["csrf_token"],
                "staff_id": "alice",
                "enrolment_id": enrolment_id,
                "step_id": "coach-debrief",
            },
        )
        assert signed.status_code == 200 and "The step is signed off." in signed.text
        assert "(0 to sign off, 1 to review)" in signed.text
    record = await w.coaching_enrolment(enrolment_id)
    assert {s["id"]: s["state"] for s in record["steps"]}["coach-debrief"] == "signed_off"


async def test_a_coachee_page_shows_the_ladder_and_pathways_by_name(w: World) -> None:
    await staff_with_evidence(w)
    async with coach_browser(w) as coach:
        page = await coach.browser.get(PORTAL + "/coach/staff/alice")
        assert page.status_code == 200, page.text
        assert "The ladder of Alice Virtanen" in page.text
        assert "Internationalisation Abroad - Rookie" in page.text
        assert "Waiting for your sign-off" in page.text


async def test_someone_the_coach_does_not_coach_and_other_institutions_evidence_are_404(w: World) -> None:
    await staff_with_evidence(w)
    async with coach_browser(w, sub="dora", name="Dora Other") as other:
        assert (await other.browser.get(PORTAL + "/coach/staff/alice")).status_code == 404
        assert (await other.browser.get(PORTAL + "/coach/evidence/no-such-evidence")).status_code == 404
        queue = await other.browser.get(PORTAL + "/coach")
        assert "Alice Virtanen" not in queue.text and "Nothing is waiting for you." in queue.text


async def test_returning_or_rejecting_without_a_comment_is_said_beside_the_comment_field(w: World) -> None:
    await staff_with_evidence(w)
    async with coach_browser(w) as coach:
        link = evidence_link((await coach.browser.get(PORTAL + "/coach")).text)
        page = await coach.browser.get(PORTAL + link)
        csrf = hidden_fields(page.text)["csrf_token"]
        for decision, message in (
            ("returned", "Write what the staff member should change."),
            ("rejected", "Write why you reject the evidence."),
        ):
            answer = await coach.browser.post(
                PORTAL + link + "/review", data={"csrf_token": csrf, "decision": decision, "comment": " "}
            )
            assert answer.status_code == 422
            assert f'id="comment-{decision}-error"' in answer.text and message in answer.text
            assert f'id="comment-{decision}" name="comment" rows="3" maxlength="5000" aria-invalid="true"' in (
                answer.text
            )
    [item] = await w.evidence_of("alice")
    assert item["status"] == "submitted"  # nothing was decided


async def wait_until_met(w: World, enrolment_id: str, requirement: str) -> None:
    """Coaching hears of the approval through the event log; wait for it (bounded, not timed)."""
    for _ in range(500):
        record = await w.coaching_enrolment(enrolment_id)
        if any(r["id"] == requirement and r["met"] for r in record["evidence_requirements"]):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"coaching never recorded {requirement!r} as met")


async def test_the_whole_review_loop_return_resubmit_approve_and_sign_off(w: World) -> None:
    enrolment_id = await staff_with_evidence(w)
    async with coach_browser(w) as coach:
        link = evidence_link((await coach.browser.get(PORTAL + "/coach")).text)
        page = await coach.browser.get(PORTAL + link)
        assert page.status_code == 200
        assert "Evidence: Job shadowing in Tallinn" in page.text and "From Alice Virtanen." in page.text
        assert "Five days" in page.text  # the narrative
        file_link = re.search(r'<a href="([^"]+)">Open the file', page.text)
        assert file_link, "no link to the file"
        async with httpx.AsyncClient(transport=w.hosts) as fetch:
            file = await fetch.get(file_link.group(1).replace("&amp;", "&"))
        assert file.status_code == 200 and file.content == b"%PDF-1.7 report"
        csrf = hidden_fields(page.text)["csrf_token"]
        returned = await coach.browser.post(
            PORTAL + link + "/review", data={"csrf_token": csrf, "decision": "returned", "comment": RETURN_COMMENT}
        )
        assert returned.status_code == 200 and "The evidence is returned for revision" in returned.text
        assert "(1 to sign off, 0 to review)" in returned.text

        # Alice reads the comment and resubmits the same evidence with a new file and description.
        pathway = await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")
        assert "Add the host school&#39;s confirmation of the dates." in pathway.text
        assert "your coach returned your evidence for revision" in pathway.text
        [item] = await w.evidence_of("alice")
        action = f"/pathways/{enrolment_id}/evidence/{item['id']}/resubmit"
        assert f'action="{action}#evidence"' in pathway.text
        assert "Send more evidence for this requirement" not in pathway.text  # resubmit, not new evidence
        staff_csrf = hidden_fields(pathway.text)["csrf_token"]
        refused = await w.browser.post(PORTAL + action, files={"file": ("r.pdf", b"%PDF-1.7 x", "application/pdf")})
        assert refused.status_code == 403
        resent = await w.browser.post(
            PORTAL + action,
            data={"csrf_token": staff_csrf, "description": "Five days, with the host school's letter"},
            files={"file": ("report-v2.pdf", b"%PDF-1.7 report with the letter", "application/pdf")},
        )
        assert resent.status_code == 200, resent.text
        assert "Your revised evidence has been sent back." in resent.text
        [again] = await w.evidence_of("alice")
        assert again["id"] == item["id"] and again["status"] == "submitted"  # the same evidence, not a new one
        assert [s["number"] for s in again["submissions"]] == [1, 2]

        # Carl sees the history, approves, and signs off the coach step.
        page = await coach.browser.get(PORTAL + link)
        assert "Resubmitted" in page.text and RETURN_COMMENT.replace("'", "&#39;") in page.text
        assert "(1 to sign off, 1 to review)" in page.text  # the counts on every coach page
        assert "Five days, with the host school&#39;s letter" in page.text
        approved = await coach.browser.post(
            PORTAL + link + "/review", data={"csrf_token": csrf, "decision": "approved", "comment": ""}
        )
        assert approved.status_code == 200 and "The evidence is approved." in approved.text
        signed = await coach.browser.post(
            PORTAL + "/coach/sign-off",
            data={
                "csrf_token": csrf,
                "staff_id": "alice",
                "enrolment_id": enrolment_id,
                "step_id": "coach-debrief",
            },
        )
        assert "The step is signed off." in signed.text and "Nothing is waiting for you." in signed.text
    await wait_until_met(w, enrolment_id, "mobility")
    pathway = await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")
    assert "approved" in pathway.text and "Resubmit" not in pathway.text


async def test_another_institutions_evidence_is_a_404_for_the_coach(w: World) -> None:
    token = mint_access_token(
        w.issuer.ring.ensure(allow_create=False),
        issuer=ISSUER,
        audience=AUDIENCE,
        sub="olli",
        tenant="stadin",  # not the coach's institution (omnia)
        roles=("staff",),
        scopes=("evidence:read", "evidence:write"),
        ttl_seconds=600,
    )
    async with httpx.AsyncClient(transport=w.hosts, base_url=EVIDENCE) as client:
        created = await client.post(
            "/v1/evidence",
            headers={"Authorization": f"Bearer {token}"},
            json={"title": "Elsewhere", "badge_id": "abroad-rookie", "requirement_id": "mobility"},
        )
    assert created.status_code == 201, created.text
    evidence_id = created.json()["id"]
    assert re.fullmatch(r"[A-Za-z0-9._:@-]{1,100}", evidence_id)  # the 404 is the evidence service's, not the form's
    async with coach_browser(w) as coach:
        page = await coach.browser.get(PORTAL + f"/coach/evidence/{evidence_id}")
        assert page.status_code == 404
        assert "Elsewhere" not in page.text


async def test_a_staff_member_without_the_coach_role_is_not_allowed_the_queue(w: World) -> None:
    await w.sign_in(sub="alice", name="Alice Virtanen")
    ladder = await w.browser.get(PORTAL + "/ladder")
    assert 'href="/coach"' not in ladder.text  # no Coaching link for someone who is not a coach
    queue = await w.browser.get(PORTAL + "/coach")
    assert queue.status_code == 403  # coaching refuses the token without the coach role


async def test_a_decision_that_meets_the_evidence_service_down_comes_back_on_the_503_page(w: World) -> None:
    await staff_with_evidence(w)
    async with coach_browser(w) as coach:
        link = evidence_link((await coach.browser.get(PORTAL + "/coach")).text)
        csrf = hidden_fields((await coach.browser.get(PORTAL + link)).text)["csrf_token"]
        evidence_app = w.hosts.apps.pop("evidence.test")  # it stops answering between the page and the decision
        kept = await coach.browser.post(
            PORTAL + link + "/review", data={"csrf_token": csrf, "decision": "returned", "comment": RETURN_COMMENT}
        )
        assert kept.status_code == 503 and "(evidence)" in kept.text
        assert "What you typed is kept" in kept.text and "Traceback" not in kept.text
        assert f'value="{RETURN_COMMENT}"' in kept.text.replace("&#39;", "'")
        assert f'action="{link}/review"' in kept.text
        w.hosts.apps["evidence.test"] = evidence_app
    [item] = await w.evidence_of("alice")
    assert item["status"] == "submitted"  # nothing was decided
