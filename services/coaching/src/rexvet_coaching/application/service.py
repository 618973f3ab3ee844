"""The coaching use cases: each takes plain arguments (who, which tenant) and runs the domain through the ports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from rexvet_coaching.application.catalogue import FrameworkCatalogue
from rexvet_coaching.application.directory import PeopleDirectory
from rexvet_coaching.application.read_models import (
    CoachAssignmentOut,
    CoacheeOut,
    CoachQueueOut,
    EnrolmentOut,
    LadderOut,
    PendingSignOffOut,
    RecipientOut,
    SelfAssessmentOut,
    SummaryOut,
)
from rexvet_coaching.application.records import Command, StaffRecords
from rexvet_coaching.application.views import coachee_view, enrolment_view, pending_sign_offs
from rexvet_coaching.domain import pathways
from rexvet_coaching.domain.eligibility import Outgoing
from rexvet_coaching.domain.errors import InvalidInput, NotFound
from rexvet_coaching.domain.ladder import ladder_view
from rexvet_coaching.domain.progress import StaffRecord
from rexvet_coaching.domain.questionnaire import assess
from rexvet_coaching.domain.summary import summarise_deltas

Clock = Callable[[], datetime]
MAX_SUMMARY_POINTS = 120
INTERVALS = {"day": timedelta(days=1), "week": timedelta(weeks=1), "month": timedelta(days=30)}

T = TypeVar("T")
# The views of a staff member that carry their display name when the people directory knows it.
Named = TypeVar("Named", CoacheeOut, PendingSignOffOut)


def system_clock() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _oldest_request_first(step: PendingSignOffOut) -> tuple[bool, datetime]:
    """A step not asked for yet goes last."""
    requested = step.requested_at
    return (
        requested is None,
        _utc(datetime.fromisoformat(requested)) if requested else datetime.max.replace(tzinfo=UTC),
    )


class CoachingService:
    def __init__(
        self,
        records: StaffRecords,
        catalogue: FrameworkCatalogue,
        *,
        clock: Clock = system_clock,
        directory: PeopleDirectory | None = None,
    ) -> None:
        self.records = records
        self.catalogue = catalogue
        self.clock = clock
        self.directory = directory

    # --- a staff member's own pathway ---------------------------------------------------------------------------

    async def enrol(
        self,
        tenant: str,
        staff_id: str,
        badge_id: str,
        *,
        framework_version: int | None = None,
        coach_id: str | None = None,
    ) -> EnrolmentOut:
        framework = await self.catalogue.for_tenant(tenant, framework_version)
        badge = self.catalogue.badge(framework, badge_id)
        achievement = self.catalogue.achievement(framework, badge, tenant)
        own_badge = not self.catalogue.is_base_badge(framework, badge)
        now = self.clock()

        def command(record: StaffRecord) -> tuple[EnrolmentOut, list[Outgoing]]:
            if coach_id is not None:
                pathways.assign_coach(record, coach_id)
            enrolment, events = pathways.enrol(
                record, framework, badge.id, achievement=achievement, now=now, tenant_extension=own_badge
            )
            return enrolment_view(record, enrolment), events

        return await self._run(tenant, staff_id, command)

    async def complete_step(self, tenant: str, staff_id: str, enrolment_id: str, step_id: str) -> EnrolmentOut:
        now = self.clock()

        def command(record: StaffRecord) -> tuple[EnrolmentOut, list[Outgoing]]:
            events = pathways.complete_step(record, enrolment_id, step_id, actor=staff_id, now=now)
            return self._enrolment(record, enrolment_id), events

        return await self._run(tenant, staff_id, command)

    async def sign_off(
        self, tenant: str, coach_id: str, staff_id: str, enrolment_id: str, step_id: str
    ) -> EnrolmentOut:
        await self._existing(tenant, staff_id)
        now = self.clock()

        def command(record: StaffRecord) -> tuple[EnrolmentOut, list[Outgoing]]:
            events = pathways.sign_off_step(record, enrolment_id, step_id, coach=coach_id, now=now)
            return self._enrolment(record, enrolment_id), events

        return await self._run(tenant, staff_id, command)

    async def withdraw(self, tenant: str, staff_id: str, enrolment_id: str) -> EnrolmentOut:
        now = self.clock()

        def command(record: StaffRecord) -> tuple[EnrolmentOut, list[Outgoing]]:
            pathways.withdraw(record, enrolment_id, now=now)
            return self._enrolment(record, enrolment_id), []

        return await self._run(tenant, staff_id, command)

    async def self_assess(
        self, tenant: str, staff_id: str, direction: str, answers: dict[str, str], *, framework_version: int | None
    ) -> SelfAssessmentOut:
        framework = await self.catalogue.for_tenant(tenant, framework_version)
        now = self.clock()

        def command(record: StaffRecord) -> tuple[SelfAssessmentOut, list[Outgoing]]:
            return SelfAssessmentOut.model_validate(assess(record, framework, direction, answers, now=now)), []

        return await self._run(tenant, staff_id, command)

    async def set_recipient(self, tenant: str, staff_id: str, *, email: str | None, did: str | None) -> RecipientOut:
        if email is None and did is None:
            raise InvalidInput("give an `email` or a `did` for your badges")

        def command(record: StaffRecord) -> tuple[RecipientOut, list[Outgoing]]:
            record.recipient.email = email
            record.recipient.did = did
            return RecipientOut.model_validate(record.recipient.model_dump(exclude_none=True)), []

        return await self._run(tenant, staff_id, command)

    async def assign_coach(self, tenant: str, staff_id: str, coach_id: str | None) -> CoachAssignmentOut:
        def command(record: StaffRecord) -> tuple[CoachAssignmentOut, list[Outgoing]]:
            pathways.assign_coach(record, coach_id)
            return CoachAssignmentOut(staff_id=record.staff_id, coach_id=record.coach_id), []

        return await self._run(tenant, staff_id, command)

    # --- reads ---------------------------------------------------------------------------------------------------

    async def ladder(self, tenant: str, staff_id: str) -> LadderOut:
        return await self.ladder_of(await self.records.get_or_new(tenant, staff_id))

    async def ladder_of(self, record: StaffRecord) -> LadderOut:
        return LadderOut.model_validate(ladder_view(record, await self.catalogue.for_tenant(record.tenant)))

    async def enrolments(self, tenant: str, staff_id: str) -> list[EnrolmentOut]:
        record = await self.records.get_or_new(tenant, staff_id)
        return [enrolment_view(record, e) for e in record.enrolments]

    async def enrolment(self, tenant: str, staff_id: str, enrolment_id: str) -> EnrolmentOut:
        return self.enrolment_of(await self.records.get_or_new(tenant, staff_id), enrolment_id)

    def enrolment_of(self, record: StaffRecord, enrolment_id: str) -> EnrolmentOut:
        return self._enrolment(record, enrolment_id)

    async def coachees(self, tenant: str, coach_id: str) -> list[CoacheeOut]:
        """Each coachee with their display name when the directory knows it (otherwise by id alone)."""
        views = [coachee_view(r) async for r in self.records.all_in(tenant, coach_id=coach_id)]
        return _named(views, await self._names(tenant, views))

    async def pending_sign_offs(self, tenant: str, coach_id: str) -> list[PendingSignOffOut]:
        pending: list[PendingSignOffOut] = []
        async for record in self.records.all_in(tenant, coach_id=coach_id):
            pending += pending_sign_offs(record)
        return _named(pending, await self._names(tenant, pending))

    async def coach_queue(self, tenant: str, coach_id: str) -> CoachQueueOut:
        """What a coach's queue shows, in one pass over their coachees' records: the coachees and their waiting steps,
        each named when the directory knows the person, the steps oldest request first."""
        coachees: list[CoacheeOut] = []
        sign_offs: list[PendingSignOffOut] = []
        async for record in self.records.all_in(tenant, coach_id=coach_id):
            waiting = pending_sign_offs(record)
            coachees.append(coachee_view(record, pending=len(waiting)))
            sign_offs += waiting
        names = await self._names(tenant, [*coachees, *sign_offs])
        return CoachQueueOut(
            coachees=_named(coachees, names),
            sign_offs=sorted(_named(sign_offs, names), key=_oldest_request_first),
        )

    async def _names(self, tenant: str, views: Iterable[CoacheeOut | PendingSignOffOut]) -> dict[str, str]:
        """The display names the people directory knows of the staff members these views show."""
        if self.directory is None:
            return {}
        return await self.directory.names(tenant, (v.staff_id for v in views))

    async def summary(self, tenant: str, *, start: datetime | None, end: datetime | None, interval: str) -> SummaryOut:
        step = INTERVALS.get(interval)
        if step is None:
            raise InvalidInput(f"interval must be one of {', '.join(INTERVALS)}")
        # a date without a zone is read as UTC, so it compares with the stored instants
        end = _utc(end) if end else self.clock()
        start = _utc(start) if start else end - 11 * step
        if start > end:
            raise InvalidInput("`from` must not be after `to`")
        points: list[datetime] = []
        at = end
        while at >= start and len(points) < MAX_SUMMARY_POINTS:
            points.append(at)
            at -= step
        points.reverse()
        framework = await self.catalogue.for_tenant(tenant)
        # From the projection (a few documents), not from every staff record: see application/ladder_projection.py.
        ladder = self.records.ladder
        if not await ladder.is_built(tenant):
            await ladder.build(tenant, self.records.all_in(tenant))
        deltas = await ladder.deltas(tenant)
        staff_total = await self.records.count_in(tenant)
        counts = summarise_deltas(staff_total, deltas, framework, points)
        return SummaryOut.model_validate({"institution": tenant, "interval": interval, **counts})

    # --- helpers -------------------------------------------------------------------------------------------------

    async def _run(self, tenant: str, staff_id: str, command: Command[T]) -> T:
        changed = await self.records.change(tenant, staff_id, command)
        assert changed.result is not None  # only a consumed event's redelivery has no result
        return changed.result

    async def _existing(self, tenant: str, staff_id: str) -> StaffRecord:
        record = await self.records.get(tenant, staff_id)
        if record is None:
            raise NotFound(f"no staff member {staff_id!r} with a pathway in your institution")
        return record

    @staticmethod
    def _enrolment(record: StaffRecord, enrolment_id: str) -> EnrolmentOut:
        enrolment = record.enrolment(enrolment_id)
        if enrolment is None:
            raise NotFound(f"enrolment {enrolment_id!r} does not exist for {record.staff_id}")
        return enrolment_view(record, enrolment)


def _named(views: list[Named], names: dict[str, str]) -> list[Named]:
    """The views with `display_name` set for each staff member the people directory names (left out otherwise)."""
    return [v.model_copy(update={"display_name": names[v.staff_id]}) if v.staff_id in names else v for v in views]
