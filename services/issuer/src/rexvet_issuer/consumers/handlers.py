"""The issuer consumer group: `badge.eligible` becomes a signed credential, exactly once per eligibility.

A payload that breaks its catalogue schema, or that cannot make a valid, signable credential, raises: the bus
retries it and then moves it to the dead-letter topic with the error, and nothing is stored for it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from rexvet_common.events import topics
from rexvet_common.events.catalogue import BADGE_ELIGIBLE, ENROLMENT_STARTED, STEP_COMPLETED, BadgeEligible
from rexvet_common.events.envelope import CloudEvent
from rexvet_common.messaging.handler_table import dispatch
from rexvet_issuer.application.credentials import COLLECTION as CREDENTIALS
from rexvet_issuer.application.credentials import IssuedCredentials

log = logging.getLogger(__name__)

CONSUMED_TOPICS = (topics.COACHING,)
# The coaching topic's other types, read and left alone on purpose: a new type on a consumed topic must be named
# here or in HANDLERS (tests/unit/issuer/test_consumer_table.py), so that none is dropped unnoticed.
IGNORED_TYPES = frozenset({ENROLMENT_STARTED, STEP_COMPLETED})


class IssuerConsumer:
    def __init__(
        self,
        credentials: IssuedCredentials,
        *,
        on_emitted: Callable[[str, str], None] = lambda collection, doc_id: None,
    ) -> None:
        self.credentials = credentials
        self.on_emitted = on_emitted

    async def handle(self, event: CloudEvent) -> None:
        await dispatch(HANDLERS, self, event)  # the topic's other types (IGNORED_TYPES) are left alone

    async def badge_eligible(self, event: CloudEvent) -> None:
        eligible = BadgeEligible.model_validate(event.data)
        issuance = await self.credentials.issue(eligible, event_id=event.id)
        if issuance.created:
            self.on_emitted(CREDENTIALS, issuance.record["_id"])  # the relay fetches it by id, without a query
            log.info(
                "credential issued",
                extra={"credential_id": issuance.record["credential_id"], "eligibility_id": eligible.eligibility_id},
            )
        else:
            log.info(
                "eligibility already issued",
                extra={"event_id": event.id, "eligibility_id": eligible.eligibility_id},
            )


# Each event type this group acts on, and its handler.
HANDLERS: dict[str, Callable[[IssuerConsumer, CloudEvent], Awaitable[None]]] = {
    BADGE_ELIGIBLE: IssuerConsumer.badge_eligible,
}
