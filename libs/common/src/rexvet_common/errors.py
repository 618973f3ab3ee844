"""One error hierarchy for every adapter: driver errors are translated into these at the adapter's edge.

Each message tells the caller what to change, so it can be shown as it is.
"""

from __future__ import annotations


class RexvetError(Exception):
    """Base of every error the platform raises on purpose."""


class ConfigurationError(RexvetError):
    """Settings are missing or unsafe; raised at start, naming the variables to set."""


class BackendUnavailableError(RexvetError):
    """A configured backend (database, event log, blob store) cannot be reached."""


# --- document store -------------------------------------------------------------------------------------------


class DocumentStoreError(RexvetError):
    pass


class DuplicateKeyError(DocumentStoreError):
    """An insert or update would break a unique index (the `_id` or a declared unique index)."""


class VersionConflictError(DocumentStoreError):
    """A compare-and-swap update found another version: re-read the document and apply the change again."""


class DocumentNotFoundError(DocumentStoreError):
    pass


class InvalidQueryError(DocumentStoreError):
    """A query names a field that is not declared as indexed, or a malformed cursor."""


# --- blob store ---------------------------------------------------------------------------------------------


class BlobStoreError(RexvetError):
    pass


class BlobTooLargeError(BlobStoreError):
    """The stream exceeded the size limit; nothing was kept."""


class BlobNotFoundError(BlobStoreError):
    pass


class InvalidBlobKeyError(BlobStoreError):
    pass


# --- event bus ----------------------------------------------------------------------------------------------


class EventBusError(RexvetError):
    pass


class InvalidEventError(EventBusError):
    """An envelope that is not a valid CloudEvent of ours (bad id, type, key)."""
