"""The `key_binding` check, for both formats: the key that made a valid signature must be one the issuer
controls and lists for issuing (assertionMethod). Decided by each format's proof reading, which knows the key.

An issuer id that names no document (a `urn:uuid:`, any scheme but did: and http(s):) cannot control a key
anyone could look up: the binding cannot be established either way. 1EdTech's validator accepts such a
credential; rexvet reports it as the warning `issuer_not_resolvable` (the signature itself is still checked),
while a key that a resolvable issuer does not control stays a failure (`controller_mismatch`)."""

from __future__ import annotations

from rexvet_credentials.checks.registry import VerificationCheck
from rexvet_credentials.ports import ResolvedKey
from rexvet_credentials.report import Check, CheckOutcome, Severity, failed, passed

KEY_BINDING = "key_binding"
_RESOLVABLE = ("did:", "https://", "http://")


def check_key_binding(key: ResolvedKey, named: str, issuer_id: str | None) -> Check:
    """`named` is the key as the credential names it: a Data Integrity proof's verificationMethod, a VC-JWT's
    resolved key id."""
    if issuer_id is None:
        return failed(KEY_BINDING, "issuer_missing", "the credential has no issuer id to bind the key to")
    if key.controller != issuer_id and not issuer_id.startswith(_RESOLVABLE):
        return Check(
            KEY_BINDING,
            CheckOutcome.FAILED,
            "issuer_not_resolvable",
            f"the issuer id {issuer_id} names no document that could list keys, so the key {named} (controlled by "
            f"{key.controller}) cannot be bound to it: the signature shows who signed, not that it is the issuer",
            Severity.WARNING,
            {"controller": key.controller, "issuer": issuer_id},
            {"key": named, "controller": key.controller, "issuer": issuer_id},
        )
    if key.controller != issuer_id:
        return failed(
            KEY_BINDING,
            "controller_mismatch",
            f"the key {named} is controlled by {key.controller}, not by the issuer {issuer_id}",
            controller=key.controller,
            issuer=issuer_id,
            params={"key": named, "controller": key.controller, "issuer": issuer_id},
        )
    if key.purposes is not None and "assertionMethod" not in key.purposes:
        return failed(
            KEY_BINDING,
            "key_not_for_assertion",
            f"the issuer lists {named} but not as an assertionMethod, so it may not sign credentials",
            params={"key": named},
        )
    return passed(
        KEY_BINDING, "key_bound_to_issuer", f"the key is the issuer's ({issuer_id})", params={"issuer": issuer_id}
    )


KEY_BINDING_CHECK = VerificationCheck(
    id=KEY_BINDING,
    title="Signing key belongs to the issuer",
    failure="the signature was made with a key the issuer does not control or does not list for issuing: "
    "someone else may have signed in the issuer's name",
    list_proof=True,
)
