"""Credentials the verifier tests sign themselves (did:key issuer), with or without a status entry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.bitstring import Bitstring
from rexvet_credentials.status.list_credential import build_list_credential, status_entry

KEY = Ed25519SigningKey.generate()
LIST_URL = "https://status.rexvet.example/lists/1"


def ob3_credential(issuer_id: str = KEY.controller, **overrides: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:7a4f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Internationalisation at home, Rookie",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Omnia <Espoo> & partners"},
        "validFrom": "2026-01-15T09:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:staff-1",
            "achievement": {
                "id": "https://badges.rexvet.example/achievements/home-rookie",
                "type": ["Achievement"],
                "name": "Home · Rookie",
                "description": "Takes part in international activities at home.",
                "criteria": {"narrative": "Hosted a guest teacher and joined a virtual exchange."},
            },
        },
    }
    credential.update(overrides)
    return credential


def signed(credential: dict[str, Any] | None = None, key: Ed25519SigningKey = KEY) -> dict[str, Any]:
    return sign_credential(credential or ob3_credential(key.controller), key, created="2026-01-15T09:00:00Z")


def with_status(index: int = 7, url: str = LIST_URL) -> dict[str, Any]:
    return signed(ob3_credential(credentialStatus=status_entry(url, index, "revocation")))


def signed_list(revoked: tuple[int, ...] = (), url: str = LIST_URL, key: Ed25519SigningKey = KEY) -> dict[str, Any]:
    bits = Bitstring()
    for index in revoked:
        bits.set(index)
    unsigned = build_list_credential(
        list_url=url,
        issuer=key.controller,
        purpose="revocation",
        bitstring=bits,
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return sign_credential(unsigned, key)
