"""The CloudEvents 1.0 envelope every event travels in, with the W3C `traceparent` extension.

The partition key (`<institution>:<staff id>`) is carried as the `partitionkey` extension so that an event read back
from any backend still knows its key (the dead-letter topic and replays need it).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

SPEC_VERSION = "1.0"
TYPE_PATTERN = re.compile(r"^org\.rexvet\.[a-z0-9_]+(\.[a-z0-9_]+)*\.v[0-9]+$")


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON mode."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str
    specversion: str = SPEC_VERSION
    subject: str | None = None
    time: datetime
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    traceparent: str | None = None
    partitionkey: str = Field(min_length=1)
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("type")
    @classmethod
    def _type_is_ours(cls, value: str) -> str:
        if not TYPE_PATTERN.match(value):
            raise ValueError(f"event type {value!r} must look like 'org.rexvet.<service>.<what>.v<major>'")
        # A type the catalogue does not know is still read (a newer producer's event during a rolling upgrade must
        # reach the consumers, which ignore what they do not handle); `new_event` refuses to build one.
        return value

    @field_validator("specversion")
    @classmethod
    def _spec_version(cls, value: str) -> str:
        if value != SPEC_VERSION:
            raise ValueError(f"specversion must be {SPEC_VERSION!r}, got {value!r}")
        return value

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_json_bytes(cls, raw: bytes | str) -> CloudEvent:
        return cls.model_validate_json(raw)


def partition_key(institution: str, staff_id: str) -> str:
    """Key that keeps one person's events in order on every backend."""
    return f"{institution}:{staff_id}"


def new_event(
    *,
    type: str,
    source: str,
    key: str,
    data: dict[str, Any],
    subject: str | None = None,
    dataschema: str | None = None,
    traceparent: str | None = None,
    event_id: str | None = None,
    time: datetime | None = None,
) -> CloudEvent:
    """An event of a type the catalogue describes: an uncatalogued type is a programming error, refused here where
    it is made (in tests and in production alike) rather than found later by whoever consumes it."""
    from rexvet_common.events.catalogue import is_registered  # late: the catalogue imports this module's neighbours

    if not is_registered(type):
        raise ValueError(f"event type {type!r} is not in rexvet_common/events/catalogue.py: add it there first")
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=type,
        subject=subject,
        time=time or datetime.now(UTC),
        dataschema=dataschema,
        traceparent=traceparent,
        partitionkey=key,
        data=data,
    )
