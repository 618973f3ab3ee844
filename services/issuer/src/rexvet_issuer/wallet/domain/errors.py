"""The refusals of the wallet hand-off, each under the error code OpenID4VCI 1.0 (final) or OAuth 2.0 names.

Token endpoint (OpenID4VCI 1.0 section 6.3, RFC 6749 section 5.2): `invalid_request`, `invalid_grant`,
`unsupported_grant_type`. Credential endpoint (section 8.3.1.2): `invalid_credential_request`,
`unknown_credential_configuration`, `unknown_credential_identifier`, `invalid_proof`, `invalid_nonce`,
`credential_request_denied`; an access token that is unknown, expired or spent is RFC 6750's `invalid_token`.
"""

from __future__ import annotations

INVALID_REQUEST = "invalid_request"
INVALID_GRANT = "invalid_grant"
UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
INVALID_TOKEN = "invalid_token"
INVALID_CREDENTIAL_REQUEST = "invalid_credential_request"
UNKNOWN_CREDENTIAL_CONFIGURATION = "unknown_credential_configuration"
UNKNOWN_CREDENTIAL_IDENTIFIER = "unknown_credential_identifier"
INVALID_PROOF = "invalid_proof"
INVALID_NONCE = "invalid_nonce"
CREDENTIAL_REQUEST_DENIED = "credential_request_denied"


class WalletRefusal(Exception):
    """A request the wallet hand-off refuses: `error` is the specification's code, the message says what to change."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
