"""Domain errors. The API maps each class to one HTTP status; every message tells the caller what to change."""

from __future__ import annotations


class CoachingError(Exception):
    """Base of the coaching domain's deliberate errors."""

    code = "coaching-error"


class FrameworkLoadError(CoachingError):
    """A framework document is malformed: names the file (or source), the JSON path and the reason."""

    code = "invalid-framework"

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = "; ".join(f"{path}: {reason}" for path, reason in problems)
        super().__init__(f"{source}: {lines}")


class NotFound(CoachingError):
    code = "not-found"


class UnknownBadge(NotFound):
    code = "unknown-badge"


class UnknownFrameworkVersion(NotFound):
    code = "unknown-framework-version"


class UnknownDirection(NotFound):
    code = "unknown-direction"


class UnknownStep(NotFound):
    code = "unknown-step"


class Conflict(CoachingError):
    """The request is well formed but the current state does not allow it."""

    code = "conflict"


class PrerequisiteMissing(Conflict):
    code = "prerequisite-missing"


class AlreadyEnrolled(Conflict):
    code = "already-enrolled"


class StepAlreadyCompleted(Conflict):
    code = "step-already-completed"


class PathwayNotActive(Conflict):
    code = "pathway-not-active"


class LevelAlreadyHeld(Conflict):
    code = "level-already-held"


class VersionAlreadyPublished(Conflict):
    code = "framework-version-exists"


class Forbidden(CoachingError):
    code = "forbidden"


class InvalidInput(CoachingError):
    code = "invalid-input"
