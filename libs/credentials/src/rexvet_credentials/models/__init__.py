"""Typed Open Badges 3.0 models: build credentials with them, parse third-party JSON into them."""

from rexvet_credentials.models.achievement import (
    Achievement,
    Alignment,
    Criteria,
    Image,
    ResultDescription,
    RubricCriterionLevel,
)
from rexvet_credentials.models.credential import (
    AchievementCredential,
    AchievementSubject,
    CredentialSchema,
    CredentialStatus,
    Evidence,
    OpenBadgeCredential,
    Result,
)
from rexvet_credentials.models.identity import IdentityObject
from rexvet_credentials.models.parse import StructureProblem, parse_credential
from rexvet_credentials.models.profile import Profile

__all__ = [
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Alignment",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "Evidence",
    "IdentityObject",
    "Image",
    "OpenBadgeCredential",
    "Profile",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "StructureProblem",
    "parse_credential",
]
