"""A service's events as its writes make them: the CloudEvents `source` and the topic named once per producer.

Every write that changes state announces it in the same document (`add_to_outbox`); what differs from one write to
the next is only the event: its type, partition key, subject and payload. The payload travels as JSON, without its
unset fields unless the producer keeps them (`exclude_none=False`, for a payload whose nulls say something).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from rexvet_common.events.envelope import new_event
from rexvet_common.messaging.outbox import add_to_outbox
from rexvet_common.ports.document_store import Document


@dataclass(frozen=True)
class EventProducer:
    source: str
    topic: str
    exclude_none: bool = True

    def announce(self, document: Document, event_type: str, *, key: str, subject: str, payload: BaseModel) -> Document:
        """A copy of `document` with the event pending in its outbox, to be stored by the write of the change."""
        data = payload.model_dump(mode="json", exclude_none=self.exclude_none)
        event = new_event(type=event_type, source=self.source, key=key, subject=subject, data=data)
        return add_to_outbox(document, self.topic, event)
