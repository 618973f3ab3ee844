"""Each check outcome in the page's language: a sentence per (check id, code), its dynamic parts filled in by name.

The engine (rexvet_credentials) words every outcome in English, for programs and logs, and names it by a stable
`code`; the JSON report keeps exactly that. A person reading the public page gets the sentence of this table in
their language instead, with the values the check gives as structured data (`Check.params`, `Check.details`, the
report's issuer) filled in and formatted for the language (dates by Babel). A code with no sentence yet (or a
sentence whose values the check did not give) falls back to the engine's English message, which the page marks
as English. A test reads the check registry and the checks' source and fails on a code without a sentence here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rexvet_common.web_i18n.languages import LocaleFormat
from rexvet_credentials.report import Check

ANY_CHECK = "*"  # a code any check may carry (`skipped`, a key that cannot be looked up)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# values written as dates in the page's language; the others as numbers, or as the check gives them
DATE_VALUES = frozenset({"start", "end"})
NUMBER_VALUES = frozenset({"entries", "limit", "count"})


def N_(message: str) -> str:
    """Marks a sentence for the catalogs; it is translated when the page is rendered."""
    return message


# (check id, code) -> the sentence, or sentences by preference: the first whose values the check gives is used
SENTENCES: dict[tuple[str, str], str | tuple[str, ...]] = {
    (ANY_CHECK, "skipped"): N_("Not checked, because an earlier check did not succeed."),
    (ANY_CHECK, "key_resolution_unavailable"): N_("The signing key could not be looked up just now: try again later."),
    (ANY_CHECK, "key_not_found"): N_("The signing key could not be found."),
    (ANY_CHECK, "unsupported_did_method"): N_("The issuer's DID method is not one this verifier supports."),
    (ANY_CHECK, "canonicalization_failed"): N_("The credential could not be prepared for checking its signature."),
    (ANY_CHECK, "document_not_allowed"): N_("The credential refers to a document this verifier does not load."),
    # parse
    ("parse", "parsed"): N_("The credential is a JSON object."),
    ("parse", "parsed_jwt"): N_("The credential is a VC-JWT (a compact JWS)."),
    ("parse", "not_json"): N_("The input is not JSON."),
    ("parse", "not_an_object"): N_("The input is JSON, but not an object, as a credential is."),
    ("parse", "too_large"): N_("The input is larger than this verifier accepts."),
    ("parse", "not_a_jwt"): N_("The input is not a valid VC-JWT."),
    ("parse", "unsupported_format"): N_("The input is in a format this verifier does not read."),
    # contexts
    ("contexts", "contexts_pinned"): N_("Every @context is a known context, checked against a pinned copy."),
    ("contexts", "contexts_pinned_with_undefined_terms"): N_(
        "Every @context is a known context, checked against a pinned copy; the credential also uses terms that no "
        "context defines."
    ),
    ("contexts", "context_missing"): N_("The credential has no @context."),
    ("contexts", "context_malformed"): N_("An @context item is neither a URL nor a context object."),
    ("contexts", "context_order"): N_("The context for undefined terms must be the last @context."),
    ("contexts", "unknown_context"): N_("The credential uses an @context this verifier does not know."),
    # a warning the verifier adds (verification.warnings_of)
    ("contexts", "undefined_terms"): N_("The credential uses terms that no context defines: %(terms)s."),
    # structure and claims
    ("structure", "structure_valid"): N_("The credential is structured as its data model requires."),
    ("structure", "structure_invalid"): N_("The credential is not structured as its data model requires."),
    ("claims", "claims_consistent"): N_("The JWT's claims agree with the credential."),
    ("claims", "claims_disagree"): N_("The JWT's claims disagree with the credential."),
    # proof
    ("proof", "signature_valid"): (N_("All %(count)s proofs are valid."), N_("The signature is valid.")),
    ("proof", "signature_invalid"): N_(
        "The signature is not valid: the credential was changed after it was signed, or signed with another key."
    ),
    ("proof", "proof_missing"): N_("The credential has no embedded proof."),
    ("proof", "proof_expired"): N_("The proof has expired."),
    ("proof", "previous_proof_malformed"): N_("A proof's previousProof is neither a proof id nor a list of them."),
    ("proof", "previous_proof_missing"): N_("A proof names a previous proof that the credential does not contain."),
    ("proof", "alg_none"): N_("The token is unsigned (alg “none”), which is never accepted."),
    ("proof", "alg_not_allowed"): N_("The token is signed with an algorithm this verifier does not accept."),
    ("proof", "jws_extension_unsupported"): N_("The token uses JWS extensions (crit, b64), which are not accepted."),
    ("proof", "key_missing"): N_("The token names no key, and no issuer to find the key from."),
    ("proof", "algorithm_key_mismatch"): N_("No key of the type that the token's algorithm requires was found."),
    # key binding
    ("key_binding", "key_bound_to_issuer"): N_("The signing key is the issuer's (%(issuer)s)."),
    ("key_binding", "issuer_missing"): N_("The credential has no issuer id to bind the key to."),
    ("key_binding", "issuer_not_resolvable"): N_(
        "The issuer id %(issuer)s names no document that could list keys, so the signing key cannot be bound to "
        "it: the signature shows who signed (%(controller)s), not that it was the issuer."
    ),
    ("key_binding", "controller_mismatch"): N_(
        "The signing key is controlled by %(controller)s, not by the issuer %(issuer)s."
    ),
    ("key_binding", "key_not_for_assertion"): N_(
        "The issuer lists the signing key, but not as one for issuing credentials (assertionMethod)."
    ),
    # status
    ("status", "no_status"): N_("The credential has no status entry: there is nothing to revoke."),
    ("status", "status_active"): N_("The issuer has neither revoked nor suspended the credential."),
    ("status", "status_revoked"): N_("The issuer has revoked this credential."),
    ("status", "status_suspended"): N_("The issuer has suspended this credential."),
    ("status", "status_checker_unavailable"): N_(
        "The credential has a status entry, but this verifier was given no way to check it."
    ),
    ("status", "status_malformed"): N_("The credential's status entry must be an object or a list of objects."),
    ("status", "status_too_many_entries"): N_(
        "The credential has %(entries)s status entries; at most %(limit)s are checked."
    ),
    ("status", "status_entry_malformed"): N_("A status entry is incomplete or malformed."),
    ("status", "status_type_unsupported"): N_("A status entry is of a type this verifier does not read."),
    ("status", "status_purpose_mismatch"): N_("A status entry's purpose does not match its status list."),
    ("status", "status_index_out_of_range"): N_("A status entry points outside its status list."),
    ("status", "status_list_unreachable"): N_("The status list could not be fetched."),
    ("status", "status_deadline_exceeded"): N_("The status list could not be fetched in time."),
    ("status", "status_list_malformed"): N_("The status list cannot be read."),
    ("status", "status_list_expired"): N_("The status list has expired."),
    ("status", "status_list_not_yet_valid"): N_("The status list is not valid yet."),
    ("status", "status_list_issuer_mismatch"): N_("The status list was not issued by the credential's issuer."),
    ("status", "status_list_proof_invalid"): N_("The status list's own signature could not be confirmed."),
    # status entries (a warning)
    ("status_entries", "no_status"): N_("The credential has no status entry."),
    ("status_entries", "status_entries_as_specified"): N_("The status entries are written as the specification says."),
    ("status_entries", "status_list_id_mismatch"): N_(
        "The status list at %(list)s says it is %(declared)s: its bit was read, but the list does not claim to be "
        "the one the credential points to."
    ),
    ("status_entries", "status_list_index_number"): N_(
        "statusListIndex is the number %(number)s, where the specification writes a string of digits; it was read "
        "as that index."
    ),
    # validity period
    ("validity_period", "within_validity_period"): (
        N_("Valid from %(start)s until %(end)s."),
        N_("Valid from %(start)s."),
        N_("Valid until %(end)s."),
        N_("Valid: the credential states no start date."),
    ),
    ("validity_period", "not_yet_valid"): N_("The credential is valid only from %(start)s."),
    ("validity_period", "expired"): N_("The credential expired on %(end)s."),
    ("validity_period", "valid_from_malformed"): N_("%(field)s is not a date and time in ISO 8601 form."),
    ("validity_period", "valid_until_malformed"): N_("%(field)s is not a date and time in ISO 8601 form."),
    ("validity_period", "valid_from_missing"): N_("The credential does not say from when it is valid (validFrom)."),
    # registered issuer (a warning)
    ("registered_issuer", "issuer_registered"): (
        N_("%(issuer)s (%(name)s) is a registered member of the consortium."),
        N_("%(issuer)s is a registered member of the consortium."),
    ),
    ("registered_issuer", "issuer_not_registered"): N_(
        "%(issuer)s is not a registered member of the consortium (the signature may still be valid)."
    ),
    ("registered_issuer", "issuer_missing"): N_("The credential has no issuer id."),
    ("registered_issuer", "no_registry"): N_("This verifier has no register of trusted issuers to look in."),
    # conventions (warnings)
    ("context_version", "current_context"): N_("The credential uses the current contexts."),
    ("context_version", "legacy_context"): N_(
        "The credential uses the legacy context %(context)s; current issuers use the contexts of VC 2.0 and Open "
        "Badges 3.0.3."
    ),
    ("issuer_name", "issuer_named"): N_("The issuer's profile has a name."),
    ("issuer_name", "issuer_name_missing"): N_(
        "The issuer's profile has no name: whoever reads the badge sees only the issuer's id."
    ),
    ("valid_from", "valid_from_present"): N_("The credential says from when it is valid."),
    ("valid_from", "valid_from_missing"): N_("The credential has no validFrom, which current verifiers expect."),
}


def sentences_of(check_id: str, code: str) -> tuple[str, ...]:
    """The sentences for an outcome, by preference; none when the code has no sentence yet."""
    found = SENTENCES.get((check_id, code)) or SENTENCES.get((ANY_CHECK, code))
    if found is None:
        return ()
    return (found,) if isinstance(found, str) else found


@dataclass(frozen=True, slots=True)
class OutcomeText:
    text: str
    translated: bool  # False: the engine's English message, which the page marks as English


def _values(check: Check, issuer_id: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        k: v for k, v in check.details.items() if isinstance(v, str | int) and not isinstance(v, bool)
    }
    methods = check.details.get("methods")
    if isinstance(methods, list | tuple) and len(methods) > 1:
        values["count"] = len(methods)
    if issuer_id:
        values.setdefault("issuer", issuer_id)
    values.update(check.params)
    return values


def outcome_text(
    check: Check,
    *,
    issuer_id: str | None,
    gettext: Callable[[str], str],
    fmt: LocaleFormat,
    when: Callable[[str], str],
) -> OutcomeText:
    values = _values(check, issuer_id)
    for sentence in sentences_of(check.id, check.code):
        names = set(PLACEHOLDER.findall(sentence))
        if not names <= values.keys():
            continue
        shown: dict[str, str] = {}
        for name in names:
            value = values[name]
            if name in DATE_VALUES:
                shown[name] = when(str(value))
            elif name in NUMBER_VALUES and isinstance(value, int):
                shown[name] = fmt.number(value)
            else:
                shown[name] = str(value)
        return OutcomeText(gettext(sentence) % shown if shown else gettext(sentence), True)
    return OutcomeText(check.message, False)


def all_sentences() -> set[str]:
    """Every sentence of the table, English, as the catalogs hold them."""
    return {sentence for key in SENTENCES for sentence in sentences_of(*key)}


def sentence_keys() -> Mapping[tuple[str, str], tuple[str, ...]]:
    return {key: sentences_of(*key) for key in SENTENCES}
