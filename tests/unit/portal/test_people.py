"""People, not ids: sign-in records the person in coaching's directory, and the enrol form offers coaches by name."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from rexvet_coaching.application.directory import PeopleDirectory

from .harness import PORTAL, World, hidden_fields, world

pytestmark = pytest.mark.unit


def directory_of(w: World) -> PeopleDirectory:
    people = w.coaching.state.runtime.context.directory
    assert isinstance(people, PeopleDirectory)
    return people


async def sign_in_as(w: World, sub: str, name: str, *roles: str) -> None:
    w.browser.cookies.clear()  # a fresh browser: the next person signs in on their own
    page = await w.sign_in(sub=sub, name=name, roles=roles)
    assert page.status_code == 200, page.text


async def test_signing_in_records_the_person_in_the_directory(w: World) -> None:
    await sign_in_as(w, "carl", "Carl Coach", "coach", "staff")
    entry = await directory_of(w).get("omnia", "carl")
    assert entry is not None
    assert (entry.display_name, entry.roles) == ("Carl Coach", ["coach", "staff"])


async def test_the_enrol_form_offers_the_institutions_coaches_by_name(w: World) -> None:
    await sign_in_as(w, "carl", "Carl Coach", "coach")
    await sign_in_as(w, "zoe", "Zoe Zetterberg", "coach")
    await sign_in_as(w, "alice", "Alice Virtanen", "staff")
    badge = await w.browser.get(PORTAL + "/badges/abroad-rookie")
    assert badge.status_code == 200
    select = re.search(r'<select id="coach_id" name="coach_id"[^>]*>(.*?)</select>', badge.text, re.S)
    assert select is not None, badge.text
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert options == [("", "My institution assigns my coach"), ("carl", "Carl Coach"), ("zoe", "Zoe Zetterberg")]
    assert 'type="text" id="coach_id"' not in badge.text
    enrolled = await w.browser.post(
        PORTAL + "/badges/abroad-rookie/enrol",
        data={"csrf_token": hidden_fields(badge.text)["csrf_token"], "coach_id": "zoe"},
    )
    assert enrolled.status_code == 200 and "You are enrolled." in enrolled.text
    record = await w.coaching.state.runtime.context.coaching.records.get("omnia", "alice")
    assert record is not None and record.coach_id == "zoe"


async def test_with_no_coach_in_the_directory_the_form_asks_for_an_id_and_says_why(w: World) -> None:
    await sign_in_as(w, "alice", "Alice Virtanen", "staff")
    badge = await w.browser.get(PORTAL + "/badges/abroad-rookie")
    assert '<select id="coach_id"' not in badge.text
    assert 'type="text" id="coach_id" name="coach_id"' in badge.text
    assert "No coach of your institution is in the directory yet" in badge.text


async def test_the_coach_list_in_finnish(w: World) -> None:
    await sign_in_as(w, "carl", "Carl Coach", "coach")
    await sign_in_as(w, "alice", "Alice Virtanen", "staff")
    badge = await w.browser.get(PORTAL + "/badges/abroad-rookie", headers={"Accept-Language": "fi"})
    assert "Oppilaitokseni nimeää valmentajani" in badge.text and ">Carl Coach</option>" in badge.text


async def test_a_directory_that_fails_does_not_block_sign_in(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Coaching unreachable: the profile cannot be recorded, yet the session is made and the person reaches a page
    # that needs only the issuer.
    async with world(tmp_path, coaching_url="https://down.test") as down:
        with caplog.at_level(logging.WARNING, logger="rexvet_portal.application.sign_in"):
            page = await down.sign_in(path="/my-badges")
        assert page.status_code == 200, page.text
        assert str(page.url) == PORTAL + "/my-badges"
    assert any("not recorded in the people directory" in r.getMessage() for r in caplog.records)


async def test_a_coach_id_coaching_refuses_is_said_beside_the_coach_field_from_its_problem(w: World) -> None:
    await w.sign_in()
    badge = await w.browser.get(PORTAL + "/badges/abroad-rookie")
    too_long = "c" * 90  # the portal's own pattern lets it through; coaching's problem names `coach_id`
    page = await w.browser.post(
        PORTAL + "/badges/abroad-rookie/enrol",
        data={"csrf_token": hidden_fields(badge.text)["csrf_token"], "coach_id": too_long},
    )
    assert page.status_code == 422
    assert 'id="coach_id-error"' in page.text and 'aria-invalid="true"' in page.text
    assert f'value="{too_long}"' in page.text  # what was typed stays
    ladder = await w.browser.get(PORTAL + "/ladder")
    assert "/pathways/" not in ladder.text  # nothing was enrolled
