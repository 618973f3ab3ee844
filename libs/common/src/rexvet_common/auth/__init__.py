"""Authentication and authorisation: bearer JWTs from a configured issuer, checked per operation.

`TokenVerifier` turns a token into a `Principal`; `require_scope_and_role(...)` is the FastAPI dependency an
endpoint declares; `ensure_same_tenant` makes another institution's resource look absent (404).
"""

from rexvet_common.auth.dependencies import require, require_scope_and_role, token_verifier_from
from rexvet_common.auth.principal import ClaimNames, Principal
from rexvet_common.auth.tenancy import ensure_same_tenant
from rexvet_common.auth.verifier import TokenVerifier

__all__ = [
    "ClaimNames",
    "Principal",
    "TokenVerifier",
    "ensure_same_tenant",
    "require",
    "require_scope_and_role",
    "token_verifier_from",
]
