"""How a staff member's record reacts to other services' events.

- evidence approved / erased, HR event accepted: facts that may complete a pathway's evidence requirements;
- badge issued: the ladder moves up, and pathways paused for want of that level resume;
- badge revoked: the level is taken away, pathways that depended on it pause, and the badge's next episode opens;
- badge suspended: the level is kept but paused (no later level builds on it, the ladder shows the level below),
  and pathways that depended on it pause; unsuspended: the level is in force again and those pathways resume.
  The ladder history (the manager summary's standing) records awards and revocations only: a suspension is a
  pause of a level still held, not a change of standing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from rexvet_coaching.domain.eligibility import Outgoing, evaluate_all, missing_prerequisites
from rexvet_coaching.domain.progress import (
    OPEN_STATUSES,
    AcceptedHrEvent,
    ApprovedEvidence,
    HeldLevel,
    LadderChange,
    StaffRecord,
)


def evidence_reviewed(
    record: StaffRecord,
    *,
    evidence_id: str,
    approved: bool,
    badge_id: str | None,
    requirement_id: str | None,
    narrative: str | None,
    url: str | None,
    at: datetime,
) -> list[Outgoing]:
    # A later review replaces an earlier one: a rejection after an approval withdraws the approval.
    record.evidence = [e for e in record.evidence if e.evidence_id != evidence_id]
    if approved:
        record.evidence = [
            *record.evidence,
            ApprovedEvidence(
                evidence_id=evidence_id,
                badge_id=badge_id,
                requirement_id=requirement_id,
                narrative=narrative,
                url=url,
                approved_at=at,
            ),
        ]
    return evaluate_all(record)


def evidence_erased(record: StaffRecord, *, evidence_id: str) -> list[Outgoing]:
    record.evidence = [e for e in record.evidence if e.evidence_id != evidence_id]
    return []


def hr_event_accepted(
    record: StaffRecord, *, hr_event_id: str, hr_type: str, fields: dict[str, Any], occurred_at: datetime
) -> list[Outgoing]:
    if any(h.hr_event_id == hr_event_id for h in record.hr_events):
        return []
    record.hr_events = [
        *record.hr_events,
        AcceptedHrEvent(hr_event_id=hr_event_id, hr_type=hr_type, fields=fields, occurred_at=occurred_at),
    ]
    email = fields.get("email")
    if hr_type == "staff.joined" and isinstance(email, str) and "@" in email and not record.recipient.email:
        record.recipient.email = email
    return evaluate_all(record)


def badge_issued(
    record: StaffRecord,
    *,
    eligibility_id: str,
    badge_id: str,
    episode: int,
    credential_id: str,
    issued_at: datetime,
) -> list[Outgoing]:
    enrolment = next((e for e in record.enrolments if e.eligibility_id == eligibility_id), None)
    if enrolment is None:
        # The issuer's credential is authoritative even when this record has not seen the pathway become eligible
        # (a replay where the issuer's topic ran ahead of the others): the open pathway of that episode is awarded.
        enrolment = next(
            (
                e
                for e in record.enrolments
                if e.badge_id == badge_id and e.episode == episode and e.status in OPEN_STATUSES
            ),
            None,
        )
    if enrolment is None or enrolment.status not in OPEN_STATUSES:
        # Not ours, or already applied: the ladder only moves for pathways this service knows.
        return []
    if eligibility_id not in record.eligibility_ids:
        record.eligibility_ids = [*record.eligibility_ids, eligibility_id]  # never announce it eligible afterwards
    enrolment.eligibility_id = eligibility_id
    badge = enrolment.badge_definition()
    enrolment.status = "awarded"
    enrolment.credential_id = credential_id
    enrolment.updated_at = issued_at
    held = HeldLevel(
        direction=enrolment.direction,
        level=enrolment.level,
        rank=enrolment.level_rank,
        badge_id=badge.id,
        competence_areas=list(badge.competence_areas),
        credential_id=credential_id,
        framework_version=enrolment.framework_version,
        episode=enrolment.episode,
        since=issued_at,
    )
    record.held = [*[h for h in record.held if not (h.direction == held.direction and h.level == held.level)], held]
    _record_on_ladder(record, held, "awarded", at=issued_at)
    _resume_what_waits_no_more(record, at=issued_at)
    return evaluate_all(record)


def badge_revoked(record: StaffRecord, *, credential_id: str, badge_id: str, at: datetime) -> list[Outgoing]:
    held = next((h for h in record.held if h.credential_id == credential_id), None)
    if held is None:
        return []
    record.held = [h for h in record.held if h.credential_id != credential_id]
    _record_on_ladder(record, held, "revoked", at=at)
    for enrolment in record.enrolments:
        if enrolment.credential_id == credential_id:
            enrolment.status = "revoked"
            enrolment.updated_at = at
    # The next enrolment in this badge starts a new episode, which may earn a new credential.
    record.episodes = {**record.episodes, held.badge_id: held.episode + 1}
    _pause_what_builds_on(record, held, "was revoked", at=at)
    return []


def _pause_what_builds_on(record: StaffRecord, held: HeldLevel, what_happened: str, *, at: datetime) -> None:
    """Pause the active pathways whose badge needs the level `held` gives, saying what happened to that level."""
    for enrolment in record.enrolments:
        if enrolment.status == "active" and any(
            p.direction == held.direction and p.level == held.level for p in enrolment.badge_definition().prerequisites
        ):
            enrolment.status = "paused"
            enrolment.paused_reason = f"the {held.level} level of {held.direction} it builds on {what_happened}"
            enrolment.updated_at = at


def badge_suspended(record: StaffRecord, *, credential_id: str, at: datetime) -> list[Outgoing]:
    held = next((h for h in record.held if h.credential_id == credential_id), None)
    if held is None or held.suspended_since is not None:
        return []
    held.suspended_since = at
    _pause_what_builds_on(record, held, "is suspended", at=at)
    return []


def badge_unsuspended(record: StaffRecord, *, credential_id: str, at: datetime) -> list[Outgoing]:
    held = next((h for h in record.held if h.credential_id == credential_id), None)
    if held is None or held.suspended_since is None:
        return []
    held.suspended_since = None
    _resume_what_waits_no_more(record, at=at)
    return evaluate_all(record)


def _record_on_ladder(
    record: StaffRecord, held: HeldLevel, change: Literal["awarded", "revoked"], *, at: datetime
) -> None:
    """The ladder's history, which the manager summary counts from, gains the level awarded or revoked."""
    moved = LadderChange(
        at=at,
        direction=held.direction,
        level=held.level,
        rank=held.rank,
        competence_areas=list(held.competence_areas),
        change=change,
    )
    record.history = [*record.history, moved]


def _resume_what_waits_no_more(record: StaffRecord, *, at: datetime) -> None:
    """Resume the paused pathways whose badge now has every level it builds on."""
    for enrolment in record.enrolments:
        if enrolment.status == "paused" and not missing_prerequisites(record, enrolment.badge_definition()):
            enrolment.status = "active"
            enrolment.paused_reason = None
            enrolment.updated_at = at
