"""The checks a format's verifier decides while reading the input: for Data Integrity in prepare.py and
verify.py, for VC-JWT in jwt/verify.py. Their entries give their place, title and meaning; reading is theirs."""

from __future__ import annotations

from rexvet_credentials.checks.registry import PARSE, VC_JWT, VerificationCheck

PARSE_CHECK = VerificationCheck(
    id=PARSE,
    title="Readable credential",
    failure="the input is not a credential this verifier reads (JSON with an embedded proof, a VC-JWT or a baked "
    "image): nothing else could be checked",
    list_proof=True,
)
CONTEXTS_CHECK = VerificationCheck(
    id="contexts",
    title="Known vocabulary (pinned JSON-LD contexts)",
    failure="the credential uses a context that is not pinned or a term no context defines: what it says cannot "
    "be read unambiguously, and the signature alone would not show a change",
    list_proof=True,
)
STRUCTURE_CHECK = VerificationCheck(
    id="structure",
    title="Open Badges 3.0 structure",
    failure="the credential is not a valid Open Badges 3.0 credential (a status list: not a verifiable credential)",
    list_proof=True,
)
CLAIMS_CHECK = VerificationCheck(
    id="claims",
    title="JWT claims agree with the credential",
    failure="the JWT's registered claims (iss, jti, sub, nbf, exp) contradict the credential they carry",
    formats=frozenset({VC_JWT}),
)
PROOF_CHECK = VerificationCheck(
    id="proof",
    title="Signature",
    failure="the signature does not match: the credential was changed after signing, signed with another key, "
    "or its proof has expired",
    list_proof=True,
)
