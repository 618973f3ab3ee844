"""Builders and fakes shared by the credential tests."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

from rexvet_credentials.ports import StatusOutcome, StatusResult


def make_credential(issuer_id: str, **overrides: Any) -> dict[str, Any]:
    """A realistic OB 3.0 credential (levels, alignment, results, hashed recipient), unsigned."""
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2f0a4e7c-6a1b-4d9e-9a55-3c1f0d2b7e11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Internationalisation Coach, level 2",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Rexvet Consortium Example College"},
        "validFrom": "2026-01-15T09:00:00Z",
        "validUntil": "2029-01-15T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": "sha256$1b3c6c0c4cf2b9e0a0ae1bb3a2b74dd5e2e0d1fb6e5a3d8e1bb43e2b6fa9e0d1",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "6f0d2c1b",
                }
            ],
            "achievement": {
                "id": "https://badges.rexvet.example/achievements/intl-coach",
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": "Internationalisation Coach",
                "description": "Coaches colleagues through their first mobility project abroad.",
                "criteria": {"narrative": "Coached two colleagues through a mobility application."},
                "image": {"id": "https://badges.rexvet.example/images/intl-coach.png", "type": "Image"},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "EntreComp: Mobilising others",
                        "targetUrl": "https://example.org/frameworks/entrecomp#mobilising-others",
                        "targetType": "CFItem",
                    }
                ],
                "resultDescription": [
                    {
                        "id": "urn:uuid:8d1e2f3a-0000-4000-8000-000000000001",
                        "type": ["ResultDescription"],
                        "name": "Ladder level",
                        "resultType": "RubricCriterionLevel",
                        "rubricCriterionLevel": [
                            {
                                "id": "urn:uuid:8d1e2f3a-0000-4000-8000-0000000000a1",
                                "type": ["RubricCriterionLevel"],
                                "name": "Level 1",
                            },
                            {
                                "id": "urn:uuid:8d1e2f3a-0000-4000-8000-0000000000a2",
                                "type": ["RubricCriterionLevel"],
                                "name": "Level 2",
                            },
                        ],
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": "urn:uuid:8d1e2f3a-0000-4000-8000-000000000001",
                    "achievedLevel": "urn:uuid:8d1e2f3a-0000-4000-8000-0000000000a2",
                }
            ],
        },
    }
    credential.update(overrides)
    return credential


def encode(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document).encode()


def mutated(document: Mapping[str, Any], change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    copied = copy.deepcopy(dict(document))
    change(copied)
    return copied


class FakeStatusChecker:
    """Our own StatusChecker port, answering a fixed outcome and counting calls."""

    def __init__(self, outcome: StatusOutcome, code: str = "status_fixed") -> None:
        self.outcome = outcome
        self.code = code
        self.calls = 0

    async def check(self, credential: Mapping[str, Any], entry: Mapping[str, Any]) -> StatusResult:
        self.calls += 1
        return StatusResult(self.outcome, self.code, f"status is {self.outcome.value}")
