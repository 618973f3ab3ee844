"""The verifiable-credentials engine: Open Badges 3.0 models, JSON-LD, Data Integrity, VC-JWT, status.

The public API for services: `sign_credential`, `verify_credential` (async) / `verify_credential_sync`, the
`VerificationReport` they return, keys, and the ports in `rexvet_credentials.ports`.
"""

from rexvet_credentials.clocks import FixedClock, SystemClock
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.report import Check, CheckOutcome, Outcome, VerificationReport
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.verification_cache import PreparedCache, VerificationCache
from rexvet_credentials.verify import verify_credential, verify_credential_sync

__all__ = [
    "Check",
    "CheckOutcome",
    "Ed25519SigningKey",
    "FixedClock",
    "Outcome",
    "PreparedCache",
    "SystemClock",
    "VerificationCache",
    "VerificationReport",
    "sign_credential",
    "verify_credential",
    "verify_credential_sync",
]
