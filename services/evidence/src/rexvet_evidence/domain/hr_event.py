"""An event pushed by an institution's HR system, and what makes two pushes "the same event".

The HR system's own `id` names the event within its institution: a push under an id already stored is a retry when
it carries the same content (answered with the stored record) and a conflict when it carries different content.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from rexvet_common.ports.document_store import unstorable_reason

# Dotted lowercase words: staff.joined, role.changed, mobility.completed, training.attended, guest.hosted, ...
HR_TYPE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
# Printable, no spaces: the id travels in URLs and logs.
HR_ID_PATTERN = r"^[\x21-\x7e]+$"
MAX_FIELDS_BYTES = 32 * 1024


class HrEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200, pattern=HR_ID_PATTERN, description="The HR system's own event id")
    type: str = Field(max_length=100, pattern=HR_TYPE_PATTERN, description="e.g. staff.joined, mobility.completed")
    staff_id: str = Field(min_length=1, max_length=200, pattern=HR_ID_PATTERN)
    occurred_at: AwareDatetime = Field(description="When it happened, with its UTC offset")
    fields: dict[str, Any] = Field(default_factory=dict, description="The event's own fields, kept as sent")

    @field_validator("fields")
    @classmethod
    def _fields_are_small(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(value, separators=(",", ":"))) > MAX_FIELDS_BYTES:
            raise ValueError(f"fields must serialise to at most {MAX_FIELDS_BYTES} bytes of JSON")
        # Kept as sent, so they must be storable on every document store (a '.' in a key, an array in an array...).
        problem = unstorable_reason(value)
        if problem is not None:
            raise ValueError(f"fields cannot be kept as sent: {problem.replace('$', 'fields', 1)}")
        return value

    def fingerprint(self) -> str:
        """SHA-256 of the content, with the instant normalised to UTC: a retry in another offset is the same."""
        content = {
            "type": self.type,
            "staff_id": self.staff_id,
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
            "fields": self.fields,
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def hr_record_id(institution: str, hr_id: str) -> str:
    """The stored record's `_id`: one per (institution, HR id), unambiguous whatever characters the two contain."""
    return hashlib.sha256(json.dumps([institution, hr_id]).encode()).hexdigest()
