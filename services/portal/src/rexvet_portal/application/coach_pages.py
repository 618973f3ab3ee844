"""The coach's pages: the queue, a coachee's ladder and pathways, one piece of evidence and its decisions, the
sign-off of a step.

The services decide who may see what: a staff member who is not the coach's coachee is coaching's 404, evidence of
another institution the evidence service's 404; the portal only maps them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rexvet_portal.application.errors import NotFoundThere
from rexvet_portal.application.ports import CoachingPort, EvidencePort
from rexvet_portal.domain.coaching import (
    Coachee,
    CoachQueue,
    EvidenceRecord,
    QueueCounts,
    coach_queue,
    queue_counts,
)
from rexvet_portal.domain.framework import Framework
from rexvet_portal.domain.ladder import LadderPicture, ladder_picture
from rexvet_portal.domain.pathway import Enrolment
from rexvet_portal.domain.session import Session

DECISIONS = ("approved", "returned", "rejected")


@dataclass(frozen=True)
class QueueView:
    queue: CoachQueue
    coachees: list[Coachee]


class QueuePage:
    """Two calls: coaching's queue (the coachees by name, their steps waiting for sign-off), then their evidence
    waiting for review, filtered by the evidence service."""

    def __init__(self, coaching: CoachingPort, evidence: EvidencePort) -> None:
        self.coaching = coaching
        self.evidence = evidence

    async def run(self, session: Session) -> QueueView:
        token = session.tokens.access_token
        coaching = await self.coaching.coach_queue(token)
        evidence = await self.evidence.review_queue(token, coaching.staff_ids)
        return QueueView(coach_queue(coaching.coachees, coaching.sign_offs, evidence), coaching.coachees)


@dataclass(frozen=True)
class CoacheeView:
    staff_id: str
    name: str
    picture: LadderPicture
    enrolments: list[Enrolment]
    framework: Framework
    counts: QueueCounts


class CoacheePage:
    def __init__(self, coaching: CoachingPort, evidence: EvidencePort) -> None:
        self.coaching = coaching
        self.evidence = evidence

    async def run(self, session: Session, staff_id: str) -> CoacheeView:
        """Three calls: coaching's queue with this coachee's ladder and pathways (its 404 for someone not coached),
        the framework they are on, the evidence service's review queue (the navigation's count)."""
        token = session.tokens.access_token
        coaching = await self.coaching.coach_queue(token, coachee=staff_id)
        detail = coaching.coachee
        if detail is None:
            raise NotFoundThere("coaching", f"no coachee {staff_id!r}")
        framework = await self.coaching.framework(session.person.tenant, token, detail.standing.framework_version)
        counts = queue_counts(coaching.coachees, await self.evidence.review_queue(token, coaching.staff_ids))
        picture = ladder_picture(detail.standing, framework)
        return CoacheeView(staff_id, coaching.name_of(staff_id), picture, detail.enrolments, framework, counts)


@dataclass(frozen=True)
class EvidenceView:
    record: EvidenceRecord
    staff_name: str
    file_url: str | None
    counts: QueueCounts


class EvidencePage:
    def __init__(self, coaching: CoachingPort, evidence: EvidencePort) -> None:
        self.coaching = coaching
        self.evidence = evidence

    async def run(self, session: Session, evidence_id: str) -> EvidenceView:
        token = session.tokens.access_token
        # The evidence service's 404 for another institution's; its file's link in the same answer.
        record, url = await self.evidence.record_with_file_link(token, evidence_id)
        coaching = await self.coaching.coach_queue(token)
        counts = queue_counts(coaching.coachees, await self.evidence.review_queue(token, coaching.staff_ids))
        name = coaching.name_of(record.staff_id)
        return EvidenceView(record, name, url, counts)

    async def decide(self, session: Session, evidence_id: str, decision: str, comment: str | None) -> EvidenceRecord:
        return await self.evidence.review(session.tokens.access_token, evidence_id, decision, comment)


class SignOff:
    def __init__(self, coaching: CoachingPort) -> None:
        self.coaching = coaching

    async def run(self, session: Session, staff_id: str, enrolment_id: str, step_id: str) -> Enrolment:
        return await self.coaching.sign_off(session.tokens.access_token, staff_id, enrolment_id, step_id)
