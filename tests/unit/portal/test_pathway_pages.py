"""The self-assessment and a pathway in progress, against the real coaching and evidence services."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from .harness import EVIDENCE, PORTAL, World, hidden_fields, world

pytestmark = pytest.mark.unit


def enrolment_id_on(ladder_html: str) -> str:
    found = re.search(r'href="/pathways/([^"#?]+)"', ladder_html)
    assert found, "the ladder links no pathway"
    return found.group(1)


async def enrol(w: World) -> str:
    badge = await w.browser.get(PORTAL + "/badges/abroad-rookie")
    fields = hidden_fields(badge.text)
    await w.browser.post(
        PORTAL + "/badges/abroad-rookie/enrol", data={"csrf_token": fields["csrf_token"], "coach_id": "carl"}
    )
    ladder = await w.browser.get(PORTAL + "/ladder")
    return enrolment_id_on(ladder.text)


def upload(
    csrf: str, *, title: str = "Job shadowing in Tallinn", data: bytes = b"%PDF-1.7 report", **more: str
) -> dict[str, Any]:
    return {
        "data": {"csrf_token": csrf, "requirement_id": "mobility", "title": title, "description": "Five days"} | more,
        "files": {"file": ("report.pdf", data, "application/pdf")},
    }


async def test_the_self_assessment_suggests_a_starting_level_in_words_and_links_its_badge(w: World) -> None:
    await w.sign_in()
    page = await w.browser.get(PORTAL + "/self-assessment/abroad")
    assert page.status_code == 200
    assert "Map of international skills - abroad" in page.text
    assert "Have you been on a mobility period abroad?" in page.text
    csrf = hidden_fields(page.text)["csrf_token"]
    # One question left unanswered: the error is beside it, the answer given stays chosen.
    partial = await w.browser.post(
        PORTAL + "/self-assessment/abroad", data={"csrf_token": csrf, "q-mobility": "took-part"}
    )
    assert partial.status_code == 422
    assert 'id="q-projects-error"' in partial.text and "Choose one answer." in partial.text
    assert 'value="took-part" checked' in partial.text
    answered = await w.browser.post(
        PORTAL + "/self-assessment/abroad", data={"csrf_token": csrf, "q-mobility": "never", "q-projects": "never"}
    )
    assert answered.status_code == 200, answered.text
    assert "Your suggested starting level" in answered.text
    assert "We suggest you start at Rookie." in answered.text
    assert 'href="/badges/abroad-rookie"' in answered.text


async def test_the_self_assessment_refuses_a_form_without_its_csrf_token(w: World) -> None:
    await w.sign_in()
    refused = await w.browser.post(PORTAL + "/self-assessment/abroad", data={"q-mobility": "never"})
    assert refused.status_code == 403


async def test_the_pathway_shows_its_steps_and_completing_one_is_recorded_by_coaching(w: World) -> None:
    await w.sign_in()
    enrolment_id = await enrol(w)
    page = await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")
    assert page.status_code == 200
    assert "My pathway: Internationalisation Abroad - Rookie" in page.text
    assert "Signed off by your coach" in page.text and "You mark it done yourself" in page.text
    assert "Still missing for the badge" in page.text
    assert "The largest file you can send is 25 MB." in page.text  # said before any upload starts
    csrf = hidden_fields(page.text)["csrf_token"]
    done = await w.browser.post(
        PORTAL + f"/pathways/{enrolment_id}/steps/learning-goals/complete", data={"csrf_token": csrf}
    )
    assert done.status_code == 200 and "Step marked as done." in done.text
    record = await w.coaching_enrolment(enrolment_id)
    states = {step["id"]: step["state"] for step in record["steps"]}
    assert states["learning-goals"] == "completed" and states["take-part"] == "open"
    # A coach step has no button: only the coach's sign-off closes it.
    assert "/steps/coach-debrief/complete" not in done.text and "/steps/take-part/complete" in done.text
    # The badge page links the pathway too.
    badge = await w.browser.get(PORTAL + "/badges/abroad-rookie")
    assert f'href="/pathways/{enrolment_id}"' in badge.text


async def test_another_persons_pathway_is_a_404(w: World) -> None:
    await w.sign_in()
    enrolment_id = await enrol(w)
    w.browser.cookies.clear()
    await w.sign_in(sub="bob", name="Bob")
    page = await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")
    assert page.status_code == 404


async def test_evidence_is_created_and_its_file_streamed_to_the_evidence_service(w: World) -> None:
    await w.sign_in()
    enrolment_id = await enrol(w)
    page = await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")
    csrf = hidden_fields(page.text)["csrf_token"]
    sent = await w.browser.post(PORTAL + f"/pathways/{enrolment_id}/evidence", **upload(csrf))
    assert sent.status_code == 200, sent.text
    assert "Your evidence has been sent." in sent.text
    assert "Job shadowing in Tallinn" in sent.text and "waiting for review" in sent.text
    items = await w.evidence_of("alice")
    assert len(items) == 1
    item = items[0]
    assert item["badge_id"] == "abroad-rookie" and item["requirement_id"] == "mobility"
    assert item["title"] == "Job shadowing in Tallinn"
    assert item["file"]["size"] == len(b"%PDF-1.7 report") and item["file"]["content_type"] == "application/pdf"


async def test_the_coachs_comment_on_evidence_is_shown_on_the_pathway(w: World) -> None:
    await w.sign_in()
    enrolment_id = await enrol(w)
    csrf = hidden_fields((await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")).text)["csrf_token"]
    await w.browser.post(PORTAL + f"/pathways/{enrolment_id}/evidence", **upload(csrf))
    [item] = await w.evidence_of("alice")
    coach = w.staff_auth("carl", "coach", ("evidence:read", "evidence:review"))
    async with httpx.AsyncClient(transport=w.hosts, base_url=EVIDENCE) as client:
        reviewed = await client.post(
            f"/v1/evidence/{item['id']}/review",
            headers=coach,
            json={"decision": "rejected", "comment": "Add the host school's confirmation of the dates."},
        )
    assert reviewed.status_code == 200, reviewed.text
    page = await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")
    assert "Your coach's comment:" in page.text
    assert "Add the host school&#39;s confirmation of the dates." in page.text
    assert "rejected" in page.text
    # What is missing still names the evidence: a rejected piece does not meet the requirement.
    assert "Evidence, approved by your coach: Took part in a mobility period" in page.text


async def test_the_evidence_form_without_its_csrf_token_creates_nothing(w: World) -> None:
    await w.sign_in()
    enrolment_id = await enrol(w)
    refused = await w.browser.post(PORTAL + f"/pathways/{enrolment_id}/evidence", **upload("forged"))
    assert refused.status_code == 403
    assert await w.evidence_of("alice") == []


async def test_a_missing_title_is_said_beside_the_field_and_what_was_typed_stays(w: World) -> None:
    await w.sign_in()
    enrolment_id = await enrol(w)
    csrf = hidden_fields((await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")).text)["csrf_token"]
    page = await w.browser.post(PORTAL + f"/pathways/{enrolment_id}/evidence", **upload(csrf, title=""))
    assert page.status_code == 422
    assert 'id="ev-mobility-title-error"' in page.text and "Give the evidence a title." in page.text
    assert ">Five days</textarea>" in page.text
    assert await w.evidence_of("alice") == []


async def test_a_file_over_the_limit_is_refused_beside_the_file_field(tmp_path: Path) -> None:
    async with world(tmp_path, evidence_max_upload_bytes=1024) as small:
        await small.sign_in()
        enrolment_id = await enrol(small)
        page = await small.browser.get(PORTAL + f"/pathways/{enrolment_id}")
        assert "The largest file you can send is 1 kB." in page.text
        csrf = hidden_fields(page.text)["csrf_token"]
        # Larger than the limit but within the form's allowance: the evidence service's 413 is what refuses it.
        refused = await small.browser.post(
            PORTAL + f"/pathways/{enrolment_id}/evidence", **upload(csrf, data=b"x" * 4096)
        )
        assert refused.status_code == 422
        assert 'id="ev-mobility-file-error"' in refused.text and "The file is larger than 1 kB" in refused.text
        # The evidence created on the way is offered again, so a smaller file is attached to it, not to a second one.
        retry = hidden_fields(refused.text).get("evidence_id")
        assert retry
        again = await small.browser.post(
            PORTAL + f"/pathways/{enrolment_id}/evidence", **upload(csrf, data=b"%PDF-1.7 small", evidence_id=retry)
        )
        assert again.status_code == 200, again.text
        items = await small.evidence_of("alice")
        assert [item["id"] for item in items] == [retry] and items[0]["file"]["size"] == len(b"%PDF-1.7 small")


async def test_the_evidence_service_down_is_a_503_that_keeps_what_was_typed(tmp_path: Path) -> None:
    async with world(tmp_path, evidence_url="https://down.test") as down:
        await down.sign_in()
        badge = await down.browser.get(PORTAL + "/badges/abroad-rookie")
        await down.browser.post(
            PORTAL + "/badges/abroad-rookie/enrol",
            data={"csrf_token": hidden_fields(badge.text)["csrf_token"], "coach_id": "carl"},
        )
        ladder = await down.browser.get(PORTAL + "/ladder")
        enrolment_id = enrolment_id_on(ladder.text)
        page = await down.browser.get(PORTAL + f"/pathways/{enrolment_id}")
        assert page.status_code == 503 and "(evidence)" in page.text


async def test_a_form_that_meets_a_service_down_comes_back_on_the_503_page(tmp_path: Path) -> None:
    async with world(tmp_path) as up:
        await up.sign_in()
        page = await up.browser.get(PORTAL + "/self-assessment/abroad")
        csrf = hidden_fields(page.text)["csrf_token"]
        up.hosts.apps.pop("coaching.test")  # coaching stops answering between the page and the form
        kept = await up.browser.post(
            PORTAL + "/self-assessment/abroad", data={"csrf_token": csrf, "q-mobility": "never", "q-projects": "never"}
        )
        assert kept.status_code == 503 and "(coaching)" in kept.text
        assert "What you typed is kept" in kept.text
        assert '<input type="hidden" name="q-mobility" value="never">' in kept.text
        assert 'action="/self-assessment/abroad"' in kept.text


async def test_evidence_sent_while_the_evidence_service_is_down_comes_back_on_the_503_page(w: World) -> None:
    await w.sign_in()
    enrolment_id = await enrol(w)
    csrf = hidden_fields((await w.browser.get(PORTAL + f"/pathways/{enrolment_id}")).text)["csrf_token"]
    w.hosts.apps.pop("evidence.test")  # the evidence service stops answering between the page and the form
    page = await w.browser.post(PORTAL + f"/pathways/{enrolment_id}/evidence", **upload(csrf))
    assert page.status_code == 503 and "(evidence)" in page.text
    assert "What you typed is kept" in page.text
    assert 'value="Job shadowing in Tallinn"' in page.text and ">Five days</textarea>" in page.text
    assert f'action="/pathways/{enrolment_id}/evidence"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert "choose it again" in page.text
