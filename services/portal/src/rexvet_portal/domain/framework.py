"""The parts of coaching's framework that pages show: directions, levels, badges and their coaching modules."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Direction:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    rank: int
    description: str = ""


@dataclass(frozen=True)
class Resource:
    title: str
    url: str
    kind: str


@dataclass(frozen=True)
class TrainingTopic:
    title: str
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class CoachingStep:
    id: str
    title: str
    description: str
    sign_off: str  # "self" or "coach"
    required: bool


@dataclass(frozen=True)
class EvidenceRequirement:
    id: str
    description: str
    accepts_evidence: bool
    hr_matches: tuple[str, ...]  # what counts from the HR system, in words


@dataclass(frozen=True)
class CoachingModule:
    definition: str
    for_you_if: tuple[str, ...]
    what_you_learn: tuple[str, ...]
    learning_outcomes: tuple[str, ...]
    training_topics: tuple[TrainingTopic, ...]
    steps: tuple[CoachingStep, ...]
    evidence: tuple[EvidenceRequirement, ...]


@dataclass(frozen=True)
class Prerequisite:
    direction: str
    level: str


@dataclass(frozen=True)
class Badge:
    id: str
    direction: str
    level: str
    title: str
    description: str
    module: CoachingModule
    prerequisites: tuple[Prerequisite, ...] = ()
    image_url: str | None = None


@dataclass(frozen=True)
class Framework:
    version: int
    title: str
    directions: tuple[Direction, ...]
    levels: tuple[Level, ...]
    badges: tuple[Badge, ...] = field(default_factory=tuple)

    def ordered_levels(self) -> list[Level]:
        return sorted(self.levels, key=lambda level: level.rank)

    def badge(self, badge_id: str) -> Badge | None:
        return next((badge for badge in self.badges if badge.id == badge_id), None)

    def badge_at(self, direction: str, level: str) -> Badge | None:
        return next((b for b in self.badges if b.direction == direction and b.level == level), None)

    def level(self, level_id: str) -> Level | None:
        return next((level for level in self.levels if level.id == level_id), None)

    def direction(self, direction_id: str) -> Direction | None:
        return next((d for d in self.directions if d.id == direction_id), None)
