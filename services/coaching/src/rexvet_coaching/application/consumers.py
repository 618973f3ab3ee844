"""The coaching consumer group: other services' events applied to staff records, each exactly once.

Each event changes one staff record; its id is stored in that record by the same write (see `records.change`), so a
redelivered event has no second effect and never emits a second `badge.eligible`. An event that moves the ladder
(`badge.issued`, `badge.revoked`) also brings the manager summary's projection up to the written record; a
redelivery does that again, so a projection update that failed after the record was written converges on the retry
(see `records.change` and `ladder_projection`). A payload that breaks its
catalogue schema raises, and the bus retries it and then moves it to the dead-letter topic with the error.

An accepted HR event also feeds the people directory (`directory`), idempotent by the same event id in the entry's
own document; it is applied before the staff record, so a failure of either retries both and neither doubles.
Evidence events also move coaching's copy of the submission (`received_evidence`), idempotent by its own stage, and
before the staff record for the same reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rexvet_coaching.application.directory import PeopleDirectory
from rexvet_coaching.application.received_evidence import ReceivedEvidence
from rexvet_coaching.application.records import StaffRecords
from rexvet_coaching.domain import reactions
from rexvet_coaching.domain.eligibility import Outgoing
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_common.events import topics
from rexvet_common.events.catalogue import (
    BadgeIssued,
    BadgeStatusChanged,
    EvidenceErased,
    EvidenceResubmitted,
    EvidenceReturned,
    EvidenceReviewed,
    EvidenceSubmitted,
    HrEventAccepted,
)
from rexvet_common.events.envelope import CloudEvent

log = logging.getLogger(__name__)

CONSUMED_TOPICS = (topics.HR, topics.EVIDENCE, topics.ISSUER)
EVIDENCE_SUBMITTED = "org.rexvet.evidence.submitted.v1"
EVIDENCE_REVIEWED = "org.rexvet.evidence.reviewed.v1"
EVIDENCE_RETURNED = "org.rexvet.evidence.returned.v1"
EVIDENCE_RESUBMITTED = "org.rexvet.evidence.resubmitted.v1"
EVIDENCE_ERASED = "org.rexvet.evidence.erased.v1"
HR_EVENT_ACCEPTED = "org.rexvet.hr.event.accepted.v1"
BADGE_ISSUED = "org.rexvet.badge.issued.v1"
BADGE_REVOKED = "org.rexvet.badge.revoked.v1"
BADGE_SUSPENDED = "org.rexvet.badge.suspended.v1"
BADGE_UNSUSPENDED = "org.rexvet.badge.unsuspended.v1"

Reaction = Callable[[StaffRecord], list[Outgoing]]


class CoachingConsumer:
    def __init__(
        self,
        records: StaffRecords,
        *,
        received_evidence: ReceivedEvidence | None = None,
        directory: PeopleDirectory | None = None,
    ) -> None:
        self.records = records
        # Optional so that tests of the staff records alone can build the consumer without the other projections.
        self.received_evidence = received_evidence
        self.directory = directory

    async def handle(self, event: CloudEvent) -> None:
        # The evidence copy first: it was chained in ahead of the staff record, and the order is kept.
        if self.received_evidence is not None:
            await self._copy_evidence(self.received_evidence, event)
        if self.directory is not None and event.type == HR_EVENT_ACCEPTED:
            hr = HrEventAccepted.model_validate(event.data)
            await self.directory.apply_hr_event(
                event_id=event.id,
                tenant=hr.institution,
                person_id=hr.staff_id,
                hr_type=hr.hr_type,
                fields=hr.fields,
                occurred_at=hr.occurred_at,
            )
        planned = self._plan(event)
        if planned is None:
            return
        institution, staff_id, reaction = planned

        def command(record: StaffRecord) -> tuple[None, list[Outgoing]]:
            return None, reaction(record)

        changed = await self.records.change(institution, staff_id, command, event_id=event.id)
        if not changed.applied:
            log.info("event already applied", extra={"event_id": event.id, "event_type": event.type})

    @staticmethod
    async def _copy_evidence(copies: ReceivedEvidence, event: CloudEvent) -> None:
        if event.type == EVIDENCE_SUBMITTED:
            await copies.submitted(EvidenceSubmitted.model_validate(event.data), event_id=event.id)
        elif event.type == EVIDENCE_REVIEWED:
            await copies.reviewed(EvidenceReviewed.model_validate(event.data))
        elif event.type == EVIDENCE_RETURNED:
            await copies.returned(EvidenceReturned.model_validate(event.data))
        elif event.type == EVIDENCE_RESUBMITTED:
            await copies.resubmitted(EvidenceResubmitted.model_validate(event.data))

    def _plan(self, event: CloudEvent) -> tuple[str, str, Reaction] | None:
        data: dict[str, Any] = event.data
        if event.type == EVIDENCE_REVIEWED:
            reviewed = EvidenceReviewed.model_validate(data)
            return (
                reviewed.institution,
                reviewed.staff_id,
                lambda r: reactions.evidence_reviewed(
                    r,
                    evidence_id=reviewed.evidence_id,
                    approved=reviewed.decision == "approved",
                    badge_id=reviewed.badge_id,
                    requirement_id=reviewed.requirement_id,
                    narrative=reviewed.narrative,
                    url=reviewed.url,
                    at=reviewed.reviewed_at,
                ),
            )
        if event.type == EVIDENCE_ERASED:
            erased = EvidenceErased.model_validate(data)
            return (
                erased.institution,
                erased.staff_id,
                lambda r: reactions.evidence_erased(r, evidence_id=erased.evidence_id),
            )
        if event.type == HR_EVENT_ACCEPTED:
            hr = HrEventAccepted.model_validate(data)
            return (
                hr.institution,
                hr.staff_id,
                lambda r: reactions.hr_event_accepted(
                    r, hr_event_id=hr.hr_event_id, hr_type=hr.hr_type, fields=hr.fields, occurred_at=hr.occurred_at
                ),
            )
        if event.type == BADGE_ISSUED:
            issued = BadgeIssued.model_validate(data)
            return (
                issued.institution,
                issued.staff_id,
                lambda r: reactions.badge_issued(
                    r,
                    eligibility_id=issued.eligibility_id,
                    badge_id=issued.badge_id,
                    episode=issued.episode,
                    credential_id=issued.credential_id,
                    issued_at=issued.issued_at,
                ),
            )
        if event.type == BADGE_REVOKED:
            revoked = BadgeStatusChanged.model_validate(data)
            return (
                revoked.institution,
                revoked.staff_id,
                lambda r: reactions.badge_revoked(
                    r, credential_id=revoked.credential_id, badge_id=revoked.badge_id, at=revoked.changed_at
                ),
            )
        if event.type in (BADGE_SUSPENDED, BADGE_UNSUSPENDED):
            changed = BadgeStatusChanged.model_validate(data)
            react = reactions.badge_suspended if event.type == BADGE_SUSPENDED else reactions.badge_unsuspended
            return (
                changed.institution,
                changed.staff_id,
                lambda r: react(r, credential_id=changed.credential_id, at=changed.changed_at),
            )
        return None
