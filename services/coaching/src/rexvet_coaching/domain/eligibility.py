"""The eligibility engine: when a pathway's conditions all hold, `badge.eligible` is emitted exactly once.

A badge is eligible when the enrolment is active, its required steps are closed (coach steps signed off), every
evidence requirement is met by approved evidence or a matching HR event, and its prerequisites are held. The key
(institution, staff member, badge, framework version, episode) is remembered in the record itself, so redelivered or
replayed events never emit a second `badge.eligible` for it; a revocation opens the next episode.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from rexvet_coaching.domain.framework import Badge, EvidenceRequirement
from rexvet_coaching.domain.progress import AcceptedHrEvent, ApprovedEvidence, Enrolment, StaffRecord

BADGE_ELIGIBLE = "org.rexvet.badge.eligible.v1"
ENROLMENT_STARTED = "org.rexvet.enrolment.started.v1"
STEP_COMPLETED = "org.rexvet.step.completed.v1"


@dataclass(frozen=True)
class Outgoing:
    """An event the change emits; the application layer stores it with the record (outbox) and publishes it."""

    type: str
    data: dict[str, Any]


@dataclass
class RequirementStatus:
    requirement: EvidenceRequirement
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return bool(self.evidence)


def eligibility_id(tenant: str, staff_id: str, badge_id: str, framework_version: int, episode: int) -> str:
    """Deterministic, so the issuer can also de-duplicate on it."""
    key = f"rexvet:eligibility:{tenant}:{staff_id}:{badge_id}:{framework_version}:{episode}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def _evidence_object(item: ApprovedEvidence, requirement: EvidenceRequirement) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": ["Evidence"], "name": requirement.description}
    if item.url:
        obj["id"] = item.url
    obj["narrative"] = item.narrative or f"Evidence {item.evidence_id} approved by a reviewer."
    return obj


def _hr_evidence_object(hr: AcceptedHrEvent, requirement: EvidenceRequirement, narrative: str | None) -> dict[str, Any]:
    # Only what the rule looked at leaves the platform: never the HR event's other fields.
    return {
        "type": ["Evidence"],
        "name": requirement.description,
        "narrative": narrative or f"Recognised from an HR record ({hr.hr_type}).",
    }


def requirement_statuses(record: StaffRecord, enrolment: Enrolment, badge: Badge) -> list[RequirementStatus]:
    statuses = []
    for requirement in badge.module.evidence:
        status = RequirementStatus(requirement)
        if requirement.accepts_evidence:
            for item in record.evidence:
                if item.badge_id == enrolment.badge_id and item.requirement_id in (None, requirement.id):
                    status.evidence.append(_evidence_object(item, requirement))
        for match in requirement.hr_matches:
            for hr in record.hr_events:
                if match.parsed.matches(hr.as_facts()):
                    status.evidence.append(_hr_evidence_object(hr, requirement, match.narrative))
        statuses.append(status)
    return statuses


def missing_prerequisites(record: StaffRecord, badge: Badge) -> list[tuple[str, str]]:
    return [(p.direction, p.level) for p in badge.prerequisites if not record.holds_in_force(p.direction, p.level)]


def open_steps(enrolment: Enrolment, badge: Badge) -> list[str]:
    missing = []
    for step in badge.module.steps:
        state = enrolment.step_state(step.id)
        if step.required and (state is None or (step.sign_off == "coach" and not state.signed_off)):
            missing.append(step.id)
    return missing


def recipient_of(record: StaffRecord) -> dict[str, Any]:
    recipient: dict[str, Any] = {"staff_id": record.staff_id}
    if record.recipient.email:
        recipient["email"] = record.recipient.email
    if record.recipient.did:
        recipient["did"] = record.recipient.did
    return recipient


def evaluate(record: StaffRecord, enrolment: Enrolment) -> list[Outgoing]:
    """Emit `badge.eligible` when every condition holds and this key has never been emitted."""
    if enrolment.status != "active":
        return []
    badge = enrolment.badge_definition()
    if open_steps(enrolment, badge) or missing_prerequisites(record, badge):
        return []
    statuses = requirement_statuses(record, enrolment, badge)
    if not all(s.met for s in statuses):
        return []
    key = eligibility_id(record.tenant, record.staff_id, badge.id, enrolment.framework_version, enrolment.episode)
    if key in record.eligibility_ids:
        return []
    record.eligibility_ids = [*record.eligibility_ids, key]
    enrolment.status = "eligible"
    enrolment.eligibility_id = key
    achievement = enrolment.achievement
    result_description = achievement["resultDescription"][0]
    data: dict[str, Any] = {
        "institution": record.tenant,
        "staff_id": record.staff_id,
        "eligibility_id": key,
        "enrolment_id": enrolment.id,
        "badge_id": badge.id,
        "framework_version": enrolment.framework_version,
        "episode": enrolment.episode,
        "direction": enrolment.direction,
        "level": enrolment.level,
        "achievement": achievement,
        "result": {
            "resultDescription": result_description["id"],
            "achievedLevel": result_description["requiredLevel"],
        },
        "evidence": [item for s in statuses for item in s.evidence],
        "recipient": recipient_of(record),
    }
    return [Outgoing(BADGE_ELIGIBLE, data)]


def evaluate_all(record: StaffRecord) -> list[Outgoing]:
    events: list[Outgoing] = []
    for enrolment in record.enrolments:
        events += evaluate(record, enrolment)
    return events
