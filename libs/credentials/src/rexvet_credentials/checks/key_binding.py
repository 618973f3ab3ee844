"""The `key_binding` check, for both formats: the key that made a valid signature must be one the issuer
controls and lists for issuing (assertionMethod). Decided by each format's proof reading, which knows the key."""

from __future__ import annotations

from rexvet_credentials.checks.registry import VerificationCheck
from rexvet_credentials.ports import ResolvedKey
from rexvet_credentials.report import Check, failed, passed

KEY_BINDING = "key_binding"


def check_key_binding(key: ResolvedKey, named: str, issuer_id: str | None) -> Check:
    """`named` is the key as the credential names it: a Data Integrity proof's verificationMethod, a VC-JWT's
    resolved key id."""
    if issuer_id is None:
        return failed(KEY_BINDING, "issuer_missing", "the credential has no issuer id to bind the key to")
    if key.controller != issuer_id:
        return failed(
            KEY_BINDING,
            "controller_mismatch",
            f"the key {named} is controlled by {key.controller}, not by the issuer {issuer_id}",
            controller=key.controller,
            issuer=issuer_id,
        )
    if key.purposes is not None and "assertionMethod" not in key.purposes:
        return failed(
            KEY_BINDING,
            "key_not_for_assertion",
            f"the issuer lists {named} but not as an assertionMethod, so it may not sign credentials",
        )
    return passed(KEY_BINDING, "key_bound_to_issuer", f"the key is the issuer's ({issuer_id})")


KEY_BINDING_CHECK = VerificationCheck(
    id=KEY_BINDING,
    title="Signing key belongs to the issuer",
    failure="the signature was made with a key the issuer does not control or does not list for issuing: "
    "someone else may have signed in the issuer's name",
    list_proof=True,
)
