"""The events coaching emits and consumes, with the JSON Schema of each payload.

The platform catalogue (`rexvet_common.events.catalogue`) is the contract; coaching's emitted payloads are those
models plus a few fields of its own (which the catalogue's models allow), declared here so they are documented and
checked before an event is stored. `python -m rexvet_coaching.events` rewrites the files in `schemas/`, and a test
fails when they differ from these models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import Field

from rexvet_common.events.catalogue import (
    BADGE_ELIGIBLE,
    BADGE_ISSUED,
    BADGE_REVOKED,
    BADGE_SUSPENDED,
    BADGE_UNSUSPENDED,
    ENROLMENT_STARTED,
    EVIDENCE_ERASED,
    EVIDENCE_RESUBMITTED,
    EVIDENCE_RETURNED,
    EVIDENCE_REVIEWED,
    EVIDENCE_SUBMITTED,
    HR_EVENT_ACCEPTED,
    STEP_COMPLETED,
    BadgeEligible,
    BadgeIssued,
    BadgeStatusChanged,
    EnrolmentStarted,
    EvidenceErased,
    EvidenceResubmitted,
    EvidenceReturned,
    EvidenceReviewed,
    EvidenceSubmitted,
    HrEventAccepted,
    LadderResult,
    Payload,
    StepCompleted,
)

SCHEMAS_DIR = Path(__file__).parent / "schemas"


class CoachingEnrolmentStarted(EnrolmentStarted):
    direction: str = Field(description="The badge's direction (e.g. home, abroad)")
    level: str = Field(description="The badge's level id (e.g. rookie)")


class CoachingBadgeEligible(BadgeEligible):
    enrolment_id: str
    direction: str
    result: LadderResult


EMITTED: dict[str, type[Payload]] = {
    ENROLMENT_STARTED: CoachingEnrolmentStarted,
    STEP_COMPLETED: StepCompleted,
    BADGE_ELIGIBLE: CoachingBadgeEligible,
}

CONSUMED: dict[str, type[Payload]] = {
    EVIDENCE_SUBMITTED: EvidenceSubmitted,
    EVIDENCE_REVIEWED: EvidenceReviewed,
    EVIDENCE_RETURNED: EvidenceReturned,
    EVIDENCE_RESUBMITTED: EvidenceResubmitted,
    EVIDENCE_ERASED: EvidenceErased,
    HR_EVENT_ACCEPTED: HrEventAccepted,
    BADGE_ISSUED: BadgeIssued,
    BADGE_REVOKED: BadgeStatusChanged,
    BADGE_SUSPENDED: BadgeStatusChanged,
    BADGE_UNSUSPENDED: BadgeStatusChanged,
}


def schema_documents() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema of the event's `data`."""
    documents: dict[str, dict[str, Any]] = {}
    for direction, models in (("emitted", EMITTED), ("consumed", CONSUMED)):
        for event_type, model in models.items():
            schema = model.model_json_schema()
            schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
            schema["$id"] = f"https://rexvet.org/schemas/events/{event_type}.json"
            schema["description"] = f"`data` of {event_type} ({direction} by coaching)"
            documents[f"{direction}/{event_type}.json"] = schema
    return documents


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path = SCHEMAS_DIR) -> None:
    for name, schema in schema_documents().items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema))


if __name__ == "__main__":
    write_schemas()
    sys.stdout.write(f"wrote {len(schema_documents())} schemas under {SCHEMAS_DIR}\n")
