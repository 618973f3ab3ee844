"""IdentityObject: a recipient identifier, usually a salted SHA-256 hash of an email address."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Literal

from rexvet_credentials.models.base import SpecModel


class IdentityObject(SpecModel):
    type: Literal["IdentityObject"] = "IdentityObject"
    identityHash: str
    identityType: str = "emailAddress"
    hashed: bool
    salt: str | None = None

    @classmethod
    def hashed_identifier(
        cls, identifier: str, *, identity_type: str = "emailAddress", salt: str | None = None
    ) -> IdentityObject:
        """`identityHash` = "sha256$" + hex(sha256(identifier + salt)), with a fresh random salt by default.

        The identifier is hashed exactly as given (surrounding whitespace removed), as the specification says;
        `matches` also accepts a differently-cased email address.
        """
        salt = salt if salt is not None else secrets.token_hex(16)
        digest = hashlib.sha256((identifier.strip() + salt).encode()).hexdigest()
        return cls(identityHash=f"sha256${digest}", identityType=identity_type, hashed=True, salt=salt)

    def matches(self, identifier: str) -> bool:
        """Does `identifier` (an email address, ...) belong to this recipient?"""
        candidates = {identifier.strip()}
        if self.identityType == "emailAddress":
            candidates.add(identifier.strip().lower())
        if not self.hashed:
            return any(hmac.compare_digest(self.identityHash.strip().lower(), c.lower()) for c in candidates)
        algorithm, _, expected = self.identityHash.partition("$")
        if algorithm.lower() != "sha256" or not expected:
            return False
        expected = expected.lower()
        return any(
            hmac.compare_digest(hashlib.sha256((c + (self.salt or "")).encode()).hexdigest(), expected)
            for c in candidates
        )
