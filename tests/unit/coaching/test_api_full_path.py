"""The full path through the API and events on the embedded backend (SQLite event log and document store)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.adapters.sqlite_event_log import SqliteEventLog
from rexvet_common.events import topics

from .flows import full_path
from .harness import Harness, coaching_app, eventually

pytestmark = pytest.mark.unit


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    bus = SqliteEventLog(tmp_path / "events.sqlite", poll_interval=0.02)
    documents = SqliteDocumentStore(tmp_path / "coaching.sqlite")
    async with coaching_app(tmp_path, bus=bus, documents=documents) as h:
        yield h


async def test_full_path_embedded(harness: Harness) -> None:
    await full_path(harness)


async def test_revocation_through_events_pauses_and_opens_a_new_episode(harness: Harness) -> None:
    h = harness
    eligible = await full_path(h)  # ends with Rookie held and the Advanced pathway started
    staff = h.token("s-1", "staff")
    issued = next(e for e in h.emitted if e.type == "org.rexvet.badge.eligible.v1")
    assert issued.data == eligible
    ladder = (await h.client.get("/v1/me/ladder", headers=staff)).json()
    credential_id = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")["levels_held"][0][
        "credential_id"
    ]
    revoked = {
        "institution": h.tenant,
        "staff_id": "s-1",
        "credential_id": credential_id,
        "badge_id": "abroad-rookie",
        "reason": "issued in error",
        "changed_at": datetime.now(UTC).isoformat(),
    }
    await h.publish(topics.ISSUER, "org.rexvet.badge.revoked.v1", revoked)

    async def level_gone() -> bool:
        ladder = (await h.client.get("/v1/me/ladder", headers=staff)).json()
        return next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")["level_held"] is None

    await eventually(level_gone)
    ladder = (await h.client.get("/v1/me/ladder", headers=staff)).json()
    abroad = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")
    assert abroad["pathway"]["badge_id"] == "abroad-advanced" and abroad["pathway"]["status"] == "paused"
    assert abroad["next_step"]["action"] == "resume"
    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-rookie"}, headers=staff)
    assert r.status_code == 201, r.text
    assert r.json()["episode"] == 2


async def test_suspension_through_events_pauses_the_level_until_lifted(harness: Harness) -> None:
    h = harness
    await full_path(h)  # ends with Rookie held and the Advanced pathway started
    staff = h.token("s-1", "staff")

    async def abroad() -> dict[str, Any]:
        ladder = (await h.client.get("/v1/me/ladder", headers=staff)).json()
        found: dict[str, Any] = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")
        return found

    credential_id = (await abroad())["levels_held"][0]["credential_id"]
    change = {
        "institution": h.tenant,
        "staff_id": "s-1",
        "credential_id": credential_id,
        "badge_id": "abroad-rookie",
        "reason": "under review",
        "changed_at": datetime.now(UTC).isoformat(),
    }
    await h.publish(topics.ISSUER, "org.rexvet.badge.suspended.v1", change)

    async def level_paused() -> bool:
        return (await abroad())["level_held"] is None

    await eventually(level_paused)
    paused = await abroad()
    assert paused["levels_held"][0]["suspended"] is True  # still held, paused
    assert paused["pathway"]["badge_id"] == "abroad-advanced" and paused["pathway"]["status"] == "paused"
    r = await h.client.post("/v1/me/enrolments", json={"badge_id": "abroad-rookie"}, headers=staff)
    assert r.status_code == 409, r.text  # not earned again: it is held, only paused

    await h.publish(topics.ISSUER, "org.rexvet.badge.unsuspended.v1", change)

    async def level_back() -> bool:
        return (await abroad())["level_held"] is not None

    await eventually(level_back)
    back = await abroad()
    assert back["levels_held"][0]["suspended"] is False
    assert back["pathway"]["status"] == "active"
