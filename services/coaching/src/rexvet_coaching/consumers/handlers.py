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
from collections.abc import Awaitable, Callable

from rexvet_coaching.application.directory import PeopleDirectory
from rexvet_coaching.application.received_evidence import ReceivedEvidence
from rexvet_coaching.application.records import StaffRecords
from rexvet_coaching.domain import reactions
from rexvet_coaching.domain.eligibility import Outgoing
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_common.events import topics
from rexvet_common.events.catalogue import (
    BADGE_ISSUED,
    BADGE_REVOKED,
    BADGE_SUSPENDED,
    BADGE_UNSUSPENDED,
    EVIDENCE_ERASED,
    EVIDENCE_RESUBMITTED,
    EVIDENCE_RETURNED,
    EVIDENCE_REVIEWED,
    EVIDENCE_SUBMITTED,
    HR_EVENT_ACCEPTED,
    ISSUER_PROFILE_PUBLISHED,
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
# The consumed topics' other types, read and left alone on purpose (an issuer's profile is the verifier's concern):
# a new type on a consumed topic must be named here or in HANDLERS (tests/unit/coaching/test_consumer_table.py), so
# that none is dropped unnoticed.
IGNORED_TYPES = frozenset({ISSUER_PROFILE_PUBLISHED})

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
        handler = HANDLERS.get(event.type)
        if handler is not None:  # the topics' other types (IGNORED_TYPES) are left alone
            await handler(self, event)

    async def evidence_submitted(self, event: CloudEvent) -> None:
        # Only the copy reads these three types; without it (tests of the records alone) they change nothing.
        if self.received_evidence is not None:
            submitted = EvidenceSubmitted.model_validate(event.data)
            await self.received_evidence.submitted(submitted, event_id=event.id)

    async def evidence_reviewed(self, event: CloudEvent) -> None:
        reviewed = EvidenceReviewed.model_validate(event.data)
        if self.received_evidence is not None:
            await self.received_evidence.reviewed(reviewed)
        await self._react(
            event,
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

    async def evidence_returned(self, event: CloudEvent) -> None:
        if self.received_evidence is not None:
            await self.received_evidence.returned(EvidenceReturned.model_validate(event.data))

    async def evidence_resubmitted(self, event: CloudEvent) -> None:
        if self.received_evidence is not None:
            await self.received_evidence.resubmitted(EvidenceResubmitted.model_validate(event.data))

    async def evidence_erased(self, event: CloudEvent) -> None:
        erased = EvidenceErased.model_validate(event.data)
        await self._react(
            event,
            erased.institution,
            erased.staff_id,
            lambda r: reactions.evidence_erased(r, evidence_id=erased.evidence_id),
        )

    async def hr_event_accepted(self, event: CloudEvent) -> None:
        hr = HrEventAccepted.model_validate(event.data)
        if self.directory is not None:
            await self.directory.apply_hr_event(
                event_id=event.id,
                tenant=hr.institution,
                person_id=hr.staff_id,
                hr_type=hr.hr_type,
                fields=hr.fields,
                occurred_at=hr.occurred_at,
            )
        await self._react(
            event,
            hr.institution,
            hr.staff_id,
            lambda r: reactions.hr_event_accepted(
                r, hr_event_id=hr.hr_event_id, hr_type=hr.hr_type, fields=hr.fields, occurred_at=hr.occurred_at
            ),
        )

    async def badge_issued(self, event: CloudEvent) -> None:
        issued = BadgeIssued.model_validate(event.data)
        await self._react(
            event,
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

    async def badge_revoked(self, event: CloudEvent) -> None:
        revoked = BadgeStatusChanged.model_validate(event.data)
        await self._react(
            event,
            revoked.institution,
            revoked.staff_id,
            lambda r: reactions.badge_revoked(
                r, credential_id=revoked.credential_id, badge_id=revoked.badge_id, at=revoked.changed_at
            ),
        )

    async def badge_suspended(self, event: CloudEvent) -> None:
        changed = BadgeStatusChanged.model_validate(event.data)
        await self._react(
            event,
            changed.institution,
            changed.staff_id,
            lambda r: reactions.badge_suspended(r, credential_id=changed.credential_id, at=changed.changed_at),
        )

    async def badge_unsuspended(self, event: CloudEvent) -> None:
        changed = BadgeStatusChanged.model_validate(event.data)
        await self._react(
            event,
            changed.institution,
            changed.staff_id,
            lambda r: reactions.badge_unsuspended(r, credential_id=changed.credential_id, at=changed.changed_at),
        )

    async def _react(self, event: CloudEvent, institution: str, staff_id: str, reaction: Reaction) -> None:
        """Apply the staff record's reaction once: the event id is stored by the same write."""

        def command(record: StaffRecord) -> tuple[None, list[Outgoing]]:
            return None, reaction(record)

        changed = await self.records.change(institution, staff_id, command, event_id=event.id)
        if not changed.applied:
            log.info("event already applied", extra={"event_id": event.id, "event_type": event.type})


# Each event type this group acts on, and its handler (which does every effect of that type, in order).
HANDLERS: dict[str, Callable[[CoachingConsumer, CloudEvent], Awaitable[None]]] = {
    EVIDENCE_SUBMITTED: CoachingConsumer.evidence_submitted,
    EVIDENCE_REVIEWED: CoachingConsumer.evidence_reviewed,
    EVIDENCE_RETURNED: CoachingConsumer.evidence_returned,
    EVIDENCE_RESUBMITTED: CoachingConsumer.evidence_resubmitted,
    EVIDENCE_ERASED: CoachingConsumer.evidence_erased,
    HR_EVENT_ACCEPTED: CoachingConsumer.hr_event_accepted,
    BADGE_ISSUED: CoachingConsumer.badge_issued,
    BADGE_REVOKED: CoachingConsumer.badge_revoked,
    BADGE_SUSPENDED: CoachingConsumer.badge_suspended,
    BADGE_UNSUSPENDED: CoachingConsumer.badge_unsuspended,
}
