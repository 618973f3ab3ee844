"""Topics, one per producing service and major version (architecture.md)."""

from __future__ import annotations

HR = "rexvet.hr.v1"
EVIDENCE = "rexvet.evidence.v1"
COACHING = "rexvet.coaching.v1"
ISSUER = "rexvet.issuer.v1"

ALL_TOPICS = (HR, EVIDENCE, COACHING, ISSUER)
DEFAULT_PARTITIONS = 6


def dead_letter_topic(topic: str, group: str) -> str:
    """Each consumer group has its own dead-letter topic, so one group's poison never hides another's."""
    return f"{topic}.dlq.{group}"
