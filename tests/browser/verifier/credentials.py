"""Credentials these tests sign themselves (a did:key issuer), one for each outcome a result page shows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.list_credential import status_entry

KEY = Ed25519SigningKey.generate()
NOW = datetime(2026, 6, 1, tzinfo=UTC)  # inside the credentials' validity period
UNREACHABLE_LIST = "https://status.rexvet.example/lists/1"  # never preloaded: its status cannot be checked


def _credential(**overrides: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b6f6c1e-4c1a-4f7e-9d2a-5e8b7c6d5a41",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Internationalisation abroad, Rookie",
        "issuer": {"id": KEY.controller, "type": ["Profile"], "name": "Omnia, Espoo"},
        "validFrom": "2026-01-15T09:00:00Z",
        "validUntil": "2029-01-15T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:staff-1",
            "achievement": {
                "id": "https://badges.rexvet.example/achievements/abroad-rookie",
                "type": ["Achievement"],
                "name": "Abroad · Rookie",
                "description": "Took part in a job-shadowing period at a partner institution abroad.",
                "criteria": {"narrative": "Two weeks of job shadowing, a learning diary and a coach's sign-off."},
            },
        },
    }
    credential.update(overrides)
    return credential


def _signed(credential: dict[str, Any]) -> dict[str, Any]:
    return sign_credential(credential, KEY, created="2026-01-15T09:00:00Z")


def verified_text() -> str:
    return json.dumps(_signed(_credential()), indent=2)


def failed_text() -> str:
    """Signed, then changed: the signature no longer holds."""
    credential = _signed(_credential())
    credential["name"] = "Internationalisation abroad, Expert"
    return json.dumps(credential, indent=2)


def incomplete_text() -> str:
    """Authentic, but its status list cannot be fetched: nothing failed, not everything could be checked."""
    return json.dumps(_signed(_credential(credentialStatus=status_entry(UNREACHABLE_LIST, 7, "revocation"))), indent=2)
