"""A staff member's progress: one aggregate per (institution, staff member).

Everything that must change together (enrolments, steps, evidence and HR facts, the ladder, episodes; in storage
also the ids of the events already applied and the outgoing events) lives in this one record, because the document
stores we run on have no multi-document transactions: one compare-and-swap write makes a change and its outgoing
events durable together.

Each enrolment names the badge definition it was made under by a content hash (`BadgeDefinition.ref`: the badge of
that framework version, and the OB 3.0 Achievement rendered for it), so publishing a new version or replacing an
institution's extension never changes the meaning of progress already made. The definition itself (about 10 KB with
its module text and Achievement) is stored once, outside the record; the application layer resolves it and attaches
it to the enrolment after loading (`Enrolment.resolve`), so the domain works on it without any I/O.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from rexvet_coaching.domain.framework import Badge

EnrolmentStatus = Literal["active", "paused", "eligible", "awarded", "withdrawn", "revoked"]
OPEN_STATUSES: tuple[EnrolmentStatus, ...] = ("active", "paused", "eligible")


@dataclass(frozen=True)
class BadgeDefinition:
    """What an enrolment was made under: the badge (with its module) and its rendered Achievement, named by content.

    `badge_json` is kept as it was snapshotted, so the hash of a definition stored by an older release stays the same
    even if the `Badge` model gains optional fields.
    """

    ref: str
    badge: Badge
    badge_json: dict[str, Any]
    achievement_json: dict[str, Any]

    @classmethod
    def of(cls, badge_json: dict[str, Any], achievement: dict[str, Any]) -> BadgeDefinition:
        return cls(
            ref=definition_ref(badge_json, achievement),
            badge=Badge.model_validate(badge_json),
            badge_json=badge_json,
            achievement_json=achievement,
        )

    @classmethod
    def render(cls, badge: Badge, achievement: dict[str, Any]) -> BadgeDefinition:
        return cls.of(badge.model_dump(mode="json"), achievement)

    @property
    def achievement(self) -> dict[str, Any]:
        # a copy: the definition is shared by every enrolment made under it and goes into event payloads
        return copy.deepcopy(self.achievement_json)


def definition_ref(badge_json: dict[str, Any], achievement: dict[str, Any]) -> str:
    canonical = json.dumps(
        {"badge": badge_json, "achievement": achievement}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


class DefinitionNotResolved(RuntimeError):
    """A programming error: the application layer must resolve an enrolment's definition before the domain runs."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class StepState(_Model):
    step_id: str
    completed_at: datetime
    completed_by: str
    signed_off: bool = Field(description="True when the staff member's coach closed the step")


class SignOffRequest(_Model):
    """When a coach step began to wait for the coach: the staff member had closed every step before it."""

    step_id: str
    requested_at: datetime


class Enrolment(_Model):
    id: str
    badge_id: str
    framework_version: int
    tenant_extension: bool = False
    episode: int
    direction: str
    level: str
    level_rank: int
    definition: str = Field(description="BadgeDefinition.ref of the badge and Achievement the enrolment was made under")
    status: EnrolmentStatus = "active"
    started_at: datetime
    updated_at: datetime
    steps: list[StepState] = Field(default_factory=list)
    # Absent from records written before it existed: they load with none (see `sign_off_requested_at`).
    sign_off_requests: list[SignOffRequest] = Field(default_factory=list)
    eligibility_id: str | None = None
    credential_id: str | None = None
    paused_reason: str | None = None

    _resolved: BadgeDefinition | None = PrivateAttr(default=None)

    def resolve(self, definition: BadgeDefinition) -> None:
        if definition.ref != self.definition:
            raise ValueError(f"enrolment {self.id!r} was made under {self.definition}, not {definition.ref}")
        self._resolved = definition

    def resolved(self) -> BadgeDefinition:
        if self._resolved is None:
            raise DefinitionNotResolved(f"the badge definition of enrolment {self.id!r} was not resolved")
        return self._resolved

    def badge_definition(self) -> Badge:
        return self.resolved().badge

    @property
    def achievement(self) -> dict[str, Any]:
        return self.resolved().achievement

    def step_state(self, step_id: str) -> StepState | None:
        return next((s for s in self.steps if s.step_id == step_id), None)

    def sign_off_requested_at(self, step_id: str) -> datetime | None:
        """When the coach step began to wait for its sign-off; None while a step before it is still open.

        A record written before requests were recorded has none: the moment is then the one the record shows (the
        last closing of a step before it, or the enrolment itself), the same one a request would have recorded.
        """
        recorded = next((r.requested_at for r in self.sign_off_requests if r.step_id == step_id), None)
        if recorded is not None:
            return recorded
        earlier = self._steps_before(step_id)
        if earlier is None or any(self.step_state(s) is None for s in earlier):
            return None
        return max((state.completed_at for s in earlier if (state := self.step_state(s))), default=self.started_at)

    def _steps_before(self, step_id: str) -> list[str] | None:
        ids = [step.id for step in self.badge_definition().module.steps]
        return ids[: ids.index(step_id)] if step_id in ids else None

    def request_sign_offs(self, now: datetime) -> None:
        """Record, at `now`, the request of every coach step that has just become the coach's to close."""
        requested = {r.step_id for r in self.sign_off_requests}
        new = [
            SignOffRequest(step_id=step.id, requested_at=now)
            for step in self.badge_definition().module.steps
            if step.sign_off == "coach"
            and step.id not in requested
            and self.step_state(step.id) is None
            and all(self.step_state(s) is not None for s in self._steps_before(step.id) or [])
        ]
        if new:
            self.sign_off_requests = [*self.sign_off_requests, *new]


class ApprovedEvidence(_Model):
    evidence_id: str
    badge_id: str | None = None
    requirement_id: str | None = None
    narrative: str | None = None
    url: str | None = None
    approved_at: datetime


class AcceptedHrEvent(_Model):
    hr_event_id: str
    hr_type: str
    occurred_at: datetime
    fields: dict[str, Any] = Field(default_factory=dict)

    def as_facts(self) -> dict[str, Any]:
        """What rules are evaluated on: the HR event's own fields plus its `type`."""
        return {**self.fields, "type": self.hr_type}


class HeldLevel(_Model):
    direction: str
    level: str
    rank: int
    badge_id: str
    competence_areas: list[str]
    credential_id: str
    framework_version: int
    episode: int
    since: datetime
    # set while the issuer has the badge suspended: the level is held but paused (it opens no later level)
    suspended_since: datetime | None = None


class LadderChange(_Model):
    at: datetime
    direction: str
    level: str
    rank: int
    competence_areas: list[str]
    change: Literal["awarded", "revoked"]


class SelfAssessment(_Model):
    direction: str
    framework_version: int
    answers: dict[str, str]
    reached_level: str | None
    suggested_level: str
    at: datetime


class Recipient(_Model):
    email: str | None = None
    did: str | None = None


class StaffRecord(_Model):
    tenant: str
    staff_id: str
    coach_id: str | None = None
    recipient: Recipient = Field(default_factory=Recipient)
    enrolments: list[Enrolment] = Field(default_factory=list)
    evidence: list[ApprovedEvidence] = Field(default_factory=list)
    hr_events: list[AcceptedHrEvent] = Field(default_factory=list)
    held: list[HeldLevel] = Field(default_factory=list)
    history: list[LadderChange] = Field(default_factory=list)
    episodes: dict[str, int] = Field(default_factory=dict, description="badge id -> current episode (from 1)")
    eligibility_ids: list[str] = Field(default_factory=list, description="Every badge.eligible ever emitted")
    assessments: list[SelfAssessment] = Field(default_factory=list)

    @property
    def record_id(self) -> str:
        return record_id(self.tenant, self.staff_id)

    def enrolment(self, enrolment_id: str) -> Enrolment | None:
        return next((e for e in self.enrolments if e.id == enrolment_id), None)

    def open_enrolment(self, badge_id: str) -> Enrolment | None:
        return next((e for e in self.enrolments if e.badge_id == badge_id and e.status in OPEN_STATUSES), None)

    def episode(self, badge_id: str) -> int:
        return self.episodes.get(badge_id, 1)

    def holds(self, direction: str, level: str) -> bool:
        """Holds the level, suspended or not (a suspended level is not earned again)."""
        return any(h.direction == direction and h.level == level for h in self.held)

    def holds_in_force(self, direction: str, level: str) -> bool:
        """Holds the level and its badge is not suspended: what a later level builds on."""
        return any(h.direction == direction and h.level == level and h.suspended_since is None for h in self.held)

    def highest_held(self, direction: str) -> HeldLevel | None:
        """The highest level in force in `direction` (a suspended one is paused)."""
        in_direction = [h for h in self.held if h.direction == direction and h.suspended_since is None]
        return max(in_direction, key=lambda h: h.rank) if in_direction else None


def record_id(tenant: str, staff_id: str) -> str:
    return f"{tenant}:{staff_id}"
