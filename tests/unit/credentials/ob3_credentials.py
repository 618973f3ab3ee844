"""An OB 3.0 credential to sign in the engine's tests, under any issuer id."""

from __future__ import annotations

from typing import Any

OB3_CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def ob3_credential(issuer_id: str, **extra: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": list(OB3_CONTEXTS),
        "id": "urn:uuid:3b7a1c2e-0d36-4c1e-9d4c-1f0c0a2b3c4d",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "VET Consortium"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Internationalisation, level 1",
        "credentialSubject": {
            "id": "did:example:staff-17",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://rexvet.example/achievements/intl-1",
                "type": ["Achievement"],
                "name": "Internationalisation, level 1",
                "description": "Took part in one international mobility.",
                "criteria": {"narrative": "Evidence of one mobility, reviewed by a coach."},
            },
        },
    }
    credential.update(extra)
    return credential
