"""The library's error hierarchy.

Expected verification outcomes (revoked, expired, bad signature) are never exceptions: they are checks in the
`VerificationReport`. Exceptions are for callers' programming errors and for adapters telling the engine why a
port could not answer; each carries a stable snake_case `code` and a message that tells the caller what to
change.
"""

from __future__ import annotations


class CredentialError(Exception):
    """Base class: `code` is stable and snake_case, the message is for humans."""

    code = "credential_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class DocumentLoaderError(CredentialError):
    """A JSON-LD context or document that is not pinned, or whose pinned copy does not match its hash."""

    code = "document_not_allowed"


class CanonicalizationError(CredentialError):
    """The credential cannot be turned into canonical N-Quads (safe mode, bad IRI, work limit...)."""

    code = "canonicalization_failed"


class KeyResolutionError(CredentialError):
    """The verification method does not exist or is not usable: a definite failure of the key binding."""

    code = "key_not_found"


class KeyResolutionUnavailable(CredentialError):
    """The key could not be looked up now (network, timeout): the check is 'not checked', not 'failed'."""

    code = "key_resolution_unavailable"


# The `FetchError` code of a fetch cut short because the verification it serves ran out of time (one deadline for
# every fetch of one verification, set by the caller).
DEADLINE_CODE = "fetch_deadline_exceeded"


class FetchError(CredentialError):
    """A guarded fetch failed (refused address, too large, timeout, HTTP error)."""

    code = "fetch_failed"


class SigningError(CredentialError):
    """The credential cannot be signed as given (not a JSON object, unusable key, undefined terms...)."""

    code = "signing_failed"
