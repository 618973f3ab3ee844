"""The issuer's events, one producer for all its writes (issuer profiles, issued credentials, status changes)."""

from __future__ import annotations

from rexvet_common.events import topics
from rexvet_common.messaging.producer import EventProducer

ISSUER_EVENTS = EventProducer(source="rexvet/issuer", topic=topics.ISSUER)
