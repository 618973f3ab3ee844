"""The issuer consumer group: `badge.eligible` becomes a signed credential, exactly once per eligibility.

A payload that breaks its catalogue schema, or that cannot make a valid, signable credential, raises: the bus
retries it and then moves it to the dead-letter topic with the error, and nothing is stored for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from rexvet_common.events import topics
from rexvet_common.events.catalogue import BadgeEligible
from rexvet_common.events.envelope import CloudEvent
from rexvet_issuer.credentials import COLLECTION as CREDENTIALS
from rexvet_issuer.credentials import IssuedCredentials

log = logging.getLogger(__name__)

CONSUMED_TOPICS = (topics.COACHING,)
BADGE_ELIGIBLE = "org.rexvet.badge.eligible.v1"


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
        if event.type != BADGE_ELIGIBLE:
            return  # the coaching topic carries other events; this group reads only eligibility
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
