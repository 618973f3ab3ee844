"""Achievement and the objects it is made of: criteria, image, alignment, result descriptions and levels."""

from __future__ import annotations

from pydantic import Field

from rexvet_credentials.models.base import Many, SpecModel


class Image(SpecModel):
    required_type = "Image"
    id: str
    type: str = "Image"
    caption: str | None = None


class Criteria(SpecModel):
    id: str | None = None
    narrative: str | None = None


class Alignment(SpecModel):
    required_type = "Alignment"
    type: Many[str] = Field(default_factory=lambda: ["Alignment"])
    targetName: str
    targetUrl: str
    targetDescription: str | None = None
    targetCode: str | None = None
    targetFramework: str | None = None
    targetType: str | None = None


class RubricCriterionLevel(SpecModel):
    required_type = "RubricCriterionLevel"
    id: str
    type: Many[str] = Field(default_factory=lambda: ["RubricCriterionLevel"])
    name: str
    description: str | None = None
    level: str | None = None
    points: str | None = None
    alignment: Many[Alignment] | None = None


class ResultDescription(SpecModel):
    required_type = "ResultDescription"
    id: str
    type: Many[str] = Field(default_factory=lambda: ["ResultDescription"])
    name: str
    resultType: str
    rubricCriterionLevel: Many[RubricCriterionLevel] | None = None
    allowedValue: Many[str] | None = None
    requiredLevel: str | None = None
    requiredValue: str | None = None
    valueMax: str | None = None
    valueMin: str | None = None
    alignment: Many[Alignment] | None = None


class Achievement(SpecModel):
    required_type = "Achievement"
    id: str
    type: Many[str] = Field(default_factory=lambda: ["Achievement"])
    name: str
    description: str
    criteria: Criteria
    achievementType: str | None = None
    image: Image | None = None
    alignment: Many[Alignment] | None = None
    resultDescription: Many[ResultDescription] | None = None
    tag: Many[str] | None = None
    version: str | None = None
    humanCode: str | None = None
    fieldOfStudy: str | None = None
    specialization: str | None = None
    creator: dict[str, object] | None = None
