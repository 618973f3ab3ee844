"""Parse third-party JSON into the models, turning every validation error into a precise, located problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from rexvet_credentials.models.credential import OpenBadgeCredential


@dataclass(frozen=True, slots=True)
class StructureProblem:
    path: str  # JSON path like `credentialSubject.achievement.criteria`
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def parse_credential(data: Any) -> tuple[OpenBadgeCredential | None, list[StructureProblem]]:
    """The model, or None and the list of problems (never raises for bad input)."""
    if not isinstance(data, dict):
        return None, [StructureProblem("", f"a credential must be a JSON object, not {type(data).__name__}")]
    try:
        return OpenBadgeCredential.model_validate(data), []
    except ValidationError as exc:
        return None, located_problems(exc)


def located_problems(exc: ValidationError) -> list[StructureProblem]:
    problems = []
    for error in exc.errors(include_url=False):
        path = ".".join(str(p) for p in error["loc"])
        message = error["msg"]
        if error["type"] == "missing":
            message = "required property is missing"
        problems.append(StructureProblem(path, message))
    return problems
