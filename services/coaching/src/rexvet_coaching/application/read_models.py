"""What the coaching use cases return: typed read models, which are also the API's response models.

One description of each shape, not two: the views (`views.py`, the service, the catalogue) build these objects, the
routes return them as they are, and FastAPI writes the OpenAPI document from the same classes. They are pydantic
models rather than frozen dataclasses because the OpenAPI document is generated from them (field descriptions,
`date-time` formats, keys that are left out rather than null), and that document must stay as it was; pydantic
belongs here, in the application, and not in the domain, which keeps to its own rules (`domain/` returns plain
data, and the use cases validate it into these models). Class names end in `Out` because they name the schemas
of the published OpenAPI document.

Models are frozen: a use case changes one by `model_copy(update=...)` (a translation, a display name), never in
place. `extra="forbid"` makes a key a domain view adds without a model here fail loudly in the tests instead of
silently vanishing from the output. Routes serialise with `response_model_exclude_unset`, so a field a view does not
set stays out and an explicit null stays null: fields typed `X | Omitted = None` are the ones a view omits when it
has nothing to say (OB 3.0 and the framework file forbid nulls). Field order is the JSON's order.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

# A key that is left out, never null, when it has no value.
Omitted = SkipJsonSchema[None]
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
EnrolmentStatus = Literal["active", "paused", "eligible", "awarded", "withdrawn", "revoked"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the framework catalogue -------------------------------------------------------------------------------------


class DirectionOut(_Out):
    id: str
    name: str
    description: str


class LevelOut(_Out):
    id: str
    name: str
    rank: int = Field(description="Orders the ladder: 1 is the first rung")
    description: str


class CompetenceAreaOut(_Out):
    id: str
    name: str
    description: str
    url: str | Omitted = None


class ResourceOut(_Out):
    title: str
    url: str
    kind: Literal["presentation", "video", "exercise"]


class TrainingTopicOut(_Out):
    title: str
    resources: list[ResourceOut]


class CoachingStepOut(_Out):
    id: str
    title: str
    description: str
    sign_off: Literal["self", "coach"]
    required: bool


class HrMatchOut(_Out):
    rule: str
    narrative: str | Omitted = None


class EvidenceRequirementOut(_Out):
    id: str
    description: str
    accepts_evidence: bool
    hr_matches: list[HrMatchOut]


class CoachingModuleOut(_Out):
    definition: str
    for_you_if: list[str]
    what_you_learn: list[str]
    learning_outcomes: list[str]
    training_topics: list[TrainingTopicOut]
    steps: list[CoachingStepOut]
    evidence: list[EvidenceRequirementOut]


class PrerequisiteOut(_Out):
    direction: str
    level: str


class BadgeOut(_Out):
    id: str
    direction: str
    level: str
    title: str
    description: str
    competence_areas: list[str]
    image: str | Omitted = None
    prerequisites: list[PrerequisiteOut]
    module: CoachingModuleOut
    achievement_id: str = Field(description="The id (and address) of the badge's OB 3.0 Achievement")
    module_institution: str | Omitted = Field(
        default=None,
        description="In an institution's framework: that institution, when its own module replaces the consortium's",
    )


class FrameworkAnswerOut(_Out):
    id: str
    text: str
    level: str | Omitted = Field(default=None, description="Left out when the answer shows no level yet")


class FrameworkQuestionOut(_Out):
    id: str
    text: str
    answers: list[FrameworkAnswerOut]


class FrameworkQuestionnaireOut(_Out):
    direction: str
    title: str
    questions: list[FrameworkQuestionOut]


class FrameworkOut(_Out):
    """One framework version as published (an institution's view adds its own badges and modules)."""

    id: str
    version: int
    title: str
    description: str
    directions: list[DirectionOut]
    levels: list[LevelOut]
    competence_areas: list[CompetenceAreaOut]
    badges: list[BadgeOut]
    questionnaires: list[FrameworkQuestionnaireOut]


class FrameworkVersionOut(_Out):
    version: int
    published_at: Timestamp
    published_by: str


# --- the Open Badges 3.0 Achievement -----------------------------------------------------------------------------


class CriteriaOut(_Out):
    id: str
    narrative: str


class ImageOut(_Out):
    id: str
    type: Literal["Image"]
    caption: str


class RubricCriterionLevelOut(_Out):
    id: str
    type: list[str]
    name: str
    level: str
    description: str


class ResultDescriptionOut(_Out):
    id: str
    type: list[str]
    name: str
    resultType: str
    requiredLevel: str
    rubricCriterionLevel: list[RubricCriterionLevelOut]


class AlignmentOut(_Out):
    type: list[str]
    targetName: str
    targetDescription: str
    targetUrl: str
    targetCode: str
    targetFramework: str


class AchievementOut(_Out):
    """A badge as an OB 3.0 `Achievement` (achievementType Badge); its `id` dereferences to this JSON."""

    id: str
    type: list[str]
    achievementType: Literal["Badge"]
    name: str
    description: str
    criteria: CriteriaOut
    image: ImageOut
    resultDescription: list[ResultDescriptionOut]
    version: str
    inLanguage: str
    tag: list[str] | Omitted = None
    alignment: list[AlignmentOut] | Omitted = None


class BadgeSummaryOut(_Out):
    id: str
    direction: str
    level: str
    title: str
    framework_version: int
    achievement: AchievementOut = Field(description="The badge's OB 3.0 Achievement, as GET on its `id` returns it")


class AnswerOut(_Out):
    id: str
    text: str
    level: str | None = Field(description="The level this answer shows the person already works at; null: none yet")


class QuestionOut(_Out):
    id: str
    text: str
    answers: list[AnswerOut]


class QuestionnaireOut(_Out):
    framework_version: int
    direction: str
    title: str
    questions: list[QuestionOut]


# --- a staff member's pathway ------------------------------------------------------------------------------------


class NextStep(_Out):
    """One next step in plain words (`text`), with a machine-readable `action` and what it refers to."""

    action: Literal["enrol", "complete_step", "await_sign_off", "submit_evidence", "await_issuance", "resume", "top"]
    text: str
    step_id: str | Omitted = None
    requirement_id: str | Omitted = None
    enrolment_id: str | Omitted = None
    badge_id: str | Omitted = None


class StepOut(_Out):
    id: str
    title: str
    description: str
    sign_off: Literal["self", "coach"]
    required: bool
    state: Literal["open", "completed", "signed_off"]
    completed_at: Timestamp | None
    completed_by: str | None


class RequirementStatusOut(_Out):
    id: str
    description: str
    met: bool


class EnrolmentOut(_Out):
    id: str
    staff_id: str
    badge_id: str
    title: str
    direction: str
    level: str
    framework_version: int
    episode: int
    status: EnrolmentStatus
    started_at: Timestamp
    updated_at: Timestamp
    paused_reason: str | None
    eligibility_id: str | None
    credential_id: str | None
    steps: list[StepOut]
    evidence_requirements: list[RequirementStatusOut]
    next_step: NextStep | Omitted = Field(default=None, description="Only while the pathway is open")


class LevelHeldOut(_Out):
    id: str
    name: str
    rank: int


class HeldLevelOut(_Out):
    level: str
    badge_id: str
    credential_id: str
    since: Timestamp
    suspended: bool = Field(
        False,
        description="The issuer has suspended the badge: the level is held but paused (no later level builds on it)",
    )


class DirectionRefOut(_Out):
    id: str
    name: str


class PathwayOut(_Out):
    enrolment_id: str
    badge_id: str
    title: str
    status: EnrolmentStatus
    framework_version: int


class DirectionLadderOut(_Out):
    direction: DirectionRefOut
    level_held: LevelHeldOut | None
    levels_held: list[HeldLevelOut]
    pathway: PathwayOut | None
    next_step: NextStep


class LadderOut(_Out):
    institution: str
    staff_id: str
    framework_version: int
    directions: list[DirectionLadderOut]


class SelfAssessmentOut(_Out):
    direction: str
    framework_version: int
    reached_level: str | None
    suggested_level: str
    suggested_badge_id: str | None
    text: str


class RecipientOut(_Out):
    email: str | Omitted = None
    did: str | Omitted = None


# --- coaches and managers ----------------------------------------------------------------------------------------


class CoachAssignmentOut(_Out):
    staff_id: str
    coach_id: str | None


class CoacheeLevelOut(_Out):
    direction: str
    level: str
    badge_id: str


class OpenPathwayOut(_Out):
    enrolment_id: str
    badge_id: str
    status: EnrolmentStatus


class CoacheeOut(_Out):
    staff_id: str
    display_name: str | Omitted = Field(
        default=None, description="From the people directory; absent when it does not know the person (show the id)"
    )
    levels_held: list[CoacheeLevelOut]
    open_pathways: list[OpenPathwayOut]
    pending_sign_offs: int


class PendingSignOffOut(_Out):
    staff_id: str
    display_name: str | Omitted = Field(
        default=None, description="The coachee's name from the people directory; absent when it does not know them"
    )
    enrolment_id: str
    badge_id: str
    badge_title: str
    step_id: str
    step_title: str
    requested_at: Timestamp | None = Field(
        description="When the step began to wait for the coach (the staff member closed every step before it); "
        "null while a step before it is still open"
    )


class CoacheeDetailOut(_Out):
    staff_id: str
    ladder: LadderOut
    enrolments: list[EnrolmentOut]


class CoachQueueOut(_Out):
    coachees: list[CoacheeOut] = Field(description="Every coachee, with their name and how many sign-offs wait")
    sign_offs: list[PendingSignOffOut] = Field(
        description="The coachees' steps waiting for the coach's sign-off, oldest request first (not yet requested "
        "last)"
    )
    coachee: CoacheeDetailOut | Omitted = Field(
        default=None, description="With `?coachee=<staff id>`: that coachee's ladder and enrolments"
    )


class LevelCountOut(_Out):
    direction: str
    level: str
    staff: int


class AreaCountOut(_Out):
    direction: str
    level: str
    competence_area: str
    staff: int


class SummaryPointOut(_Out):
    at: Timestamp
    by_level: list[LevelCountOut]
    by_competence_area: list[AreaCountOut]


class SummaryOut(_Out):
    institution: str
    interval: Literal["day", "week", "month"]
    staff_total: int
    series: list[SummaryPointOut]


# --- the people directory ----------------------------------------------------------------------------------------


class CoachOut(_Out):
    id: str = Field(description="The coach's person id, the `coach_id` of an enrolment")
    display_name: str | Omitted = Field(default=None, description="Absent when the directory has no name: show the id")


class PersonOut(_Out):
    id: str
    display_name: str | Omitted = None
    roles: list[str]
    email: str | Omitted = Field(
        default=None,
        description="Shown to the person, their coach and the institution's managers and admins only",
    )
    updated_at: Timestamp | Omitted = None


class ErasedOut(_Out):
    id: str
    erased_at: Timestamp = Field(description="Name, e-mail and roles are gone; the id stays wherever it is used")
