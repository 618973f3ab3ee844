"""Topics, one per producing service and major version (architecture.md)."""

from __future__ import annotations

import re

from rexvet_common.errors import EventBusError

HR = "rexvet.hr.v1"
EVIDENCE = "rexvet.evidence.v1"
COACHING = "rexvet.coaching.v1"
ISSUER = "rexvet.issuer.v1"

ALL_TOPICS = (HR, EVIDENCE, COACHING, ISSUER)
DEFAULT_PARTITIONS = 6


def dead_letter_topic(topic: str, group: str) -> str:
    """Each consumer group has its own dead-letter topic, so one group's poison never hides another's."""
    return f"{topic}.dlq.{group}"


# Kafka's own rule for topic names, applied by every bus adapter so a name that works embedded works on Kafka too.
TOPIC_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,249}$")


def check_topic(topic: str) -> str:
    if not TOPIC_PATTERN.match(topic):
        raise EventBusError(f"topic {topic!r} must be 1-249 characters of letters, digits, '.', '_' or '-'")
    return topic
