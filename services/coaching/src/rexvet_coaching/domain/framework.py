"""The framework as data: directions, ordered levels, competence areas, badges and their coaching modules.

These models describe one published framework version. They are immutable: a new version is a new document, and
progress always names the version (and keeps a snapshot of the badge) it was made under.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from rexvet_coaching.domain.hr_rules import HrRule, RuleSyntaxError, parse_rule

# No '.': ids become keys of stored documents (an institution's `modules` by badge id), and the document stores refuse
# keys with a '.' (MongoDB-wire engines read them as paths).
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,79}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$", max_length=2000)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Direction(_Frozen):
    id: Id
    name: Text
    description: Text


class Level(_Frozen):
    """A rung; `rank` orders the ladder (1 = Rookie)."""

    id: Id
    name: Text
    rank: int = Field(ge=1, le=20)
    description: Text


class CompetenceArea(_Frozen):
    id: Id
    name: Text
    description: Text
    url: Url | None = None


class Resource(_Frozen):
    title: Text
    url: Url
    kind: Literal["presentation", "video", "exercise"]


class TrainingTopic(_Frozen):
    title: Text
    resources: list[Resource] = Field(default_factory=list)


class CoachingStep(_Frozen):
    """`sign_off` says who closes the step: the staff member (`self`) or their coach (`coach`)."""

    id: Id
    title: Text
    description: Text
    sign_off: Literal["self", "coach"]
    required: bool = True


class HrMatch(_Frozen):
    """An HR-event rule in its written form; parsed on load so a bad rule is a load error, not a runtime one."""

    rule: Text
    narrative: Text | None = None

    @field_validator("rule")
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            parse_rule(value)
        except RuleSyntaxError as exc:
            raise ValueError(f"invalid HR rule: {exc}") from exc
        return value

    @cached_property
    def parsed(self) -> HrRule:
        return parse_rule(self.rule)


class EvidenceRequirement(_Frozen):
    """Met by approved evidence for this requirement (when `accepts_evidence`) or by one matching HR event."""

    id: Id
    description: Text
    accepts_evidence: bool = True
    hr_matches: list[HrMatch] = Field(default_factory=list)


class CoachingModule(_Frozen):
    definition: Text
    for_you_if: list[Text] = Field(min_length=1)
    what_you_learn: list[Text] = Field(min_length=1)
    learning_outcomes: list[Text] = Field(min_length=1)
    training_topics: list[TrainingTopic] = Field(default_factory=list)
    steps: list[CoachingStep] = Field(min_length=1)
    evidence: list[EvidenceRequirement] = Field(default_factory=list)


class Prerequisite(_Frozen):
    direction: Id
    level: Id


class Badge(_Frozen):
    id: Id
    direction: Id
    level: Id
    title: Text
    description: Text
    competence_areas: list[Id] = Field(min_length=1)
    image: Url | None = None
    prerequisites: list[Prerequisite] = Field(default_factory=list)
    module: CoachingModule

    def step(self, step_id: str) -> CoachingStep | None:
        return next((s for s in self.module.steps if s.id == step_id), None)


class Answer(_Frozen):
    """`level` is the level this answer shows the person already works at (null: not yet at Rookie)."""

    id: Id
    text: Text
    level: Id | None


class Question(_Frozen):
    id: Id
    text: Text
    answers: list[Answer] = Field(min_length=2)


class Questionnaire(_Frozen):
    direction: Id
    title: Text
    questions: list[Question] = Field(min_length=1)


class Framework(_Frozen):
    """One published version of a framework (the consortium's, possibly extended by one institution)."""

    id: Id
    version: int = Field(ge=1, description="Published versions are numbered 1, 2, ...")
    title: Text
    description: Text
    directions: list[Direction] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    competence_areas: list[CompetenceArea] = Field(min_length=1)
    badges: list[Badge] = Field(min_length=1)
    questionnaires: list[Questionnaire] = Field(default_factory=list)

    def badge(self, badge_id: str) -> Badge | None:
        return next((b for b in self.badges if b.id == badge_id), None)

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def direction(self, direction_id: str) -> Direction | None:
        return next((d for d in self.directions if d.id == direction_id), None)

    def competence_area(self, area_id: str) -> CompetenceArea | None:
        return next((a for a in self.competence_areas if a.id == area_id), None)

    def questionnaire(self, direction_id: str) -> Questionnaire | None:
        return next((q for q in self.questionnaires if q.direction == direction_id), None)

    def ordered_levels(self) -> list[Level]:
        return sorted(self.levels, key=lambda lv: lv.rank)

    def rank(self, level_id: str) -> int:
        level = self.level(level_id)
        return level.rank if level else 0

    def badge_at(self, direction_id: str, level_id: str) -> Badge | None:
        """The consortium's badge of one rung (the first one listed when an extension adds more)."""
        return next((b for b in self.badges if b.direction == direction_id and b.level == level_id), None)


class FrameworkExtension(_Frozen):
    """An institution's additions to a base framework version, without code: its own badges (with their modules),
    and its own coaching modules for consortium badges, which replace the consortium's module for its staff.

    A replaced module changes what the institution's staff do and show; the badge's identity (id, direction, level,
    prerequisites, Achievement id) stays the consortium's, so the credential still says the same rung. An extension
    with neither is how an institution goes back to the consortium's framework as it is.
    """

    base_version: int = Field(ge=1)
    badges: list[Badge] = Field(default_factory=list)
    modules: dict[Id, CoachingModule] = Field(
        default_factory=dict, description="consortium badge id -> the institution's coaching module for it"
    )
