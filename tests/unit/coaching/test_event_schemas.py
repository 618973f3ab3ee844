"""The documented event schemas match the models, and what coaching emits validates against them."""

from __future__ import annotations

import json

import jsonschema
import pytest

from rexvet_coaching.domain import pathways, reactions
from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_coaching.events import EMITTED, SCHEMAS_DIR, render, schema_documents
from rexvet_common.events.catalogue import BY_TYPE

from .conftest import achievement_for, at

pytestmark = pytest.mark.unit


def test_schema_files_are_up_to_date() -> None:
    for name, schema in schema_documents().items():
        path = SCHEMAS_DIR / name
        assert path.exists(), f"run `uv run python -m rexvet_coaching.events` to write {name}"
        assert path.read_text() == render(schema), f"{name} is stale: run `uv run python -m rexvet_coaching.events`"


def test_every_emitted_type_is_in_the_platform_catalogue() -> None:
    for event_type, model in EMITTED.items():
        assert BY_TYPE[event_type].payload in model.__mro__


def test_emitted_payloads_validate_against_the_published_schemas(framework: Framework) -> None:
    record = StaffRecord(tenant="omnia", staff_id="s-1", coach_id="c-1")
    enrolment, events = pathways.enrol(
        record, framework, "abroad-rookie", achievement=achievement_for(framework, "abroad-rookie"), now=at(0)
    )
    reactions.hr_event_accepted(
        record, hr_event_id="h", hr_type="mobility.completed", fields={"duration_days": 9}, occurred_at=at(0)
    )
    events += pathways.complete_step(record, enrolment.id, "learning-goals", actor="s-1", now=at(1))
    events += pathways.complete_step(record, enrolment.id, "take-part", actor="s-1", now=at(1))
    events += pathways.sign_off_step(record, enrolment.id, "coach-debrief", coach="c-1", now=at(1))
    assert {e.type for e in events} == set(EMITTED)
    for event in events:
        schema = json.loads((SCHEMAS_DIR / "emitted" / f"{event.type}.json").read_text())
        jsonschema.validate(json.loads(json.dumps(event.data, default=str)), schema)
