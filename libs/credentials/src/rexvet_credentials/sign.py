"""sign_credential: add an eddsa-rdfc-2022 proof to a credential."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rexvet_credentials.data_integrity import create_proof
from rexvet_credentials.document_loader import DEFAULT_LOADER, DocumentLoader
from rexvet_credentials.errors import CanonicalizationError, DocumentLoaderError, SigningError
from rexvet_credentials.keys import Ed25519SigningKey


def sign_credential(
    credential: Mapping[str, Any],
    key: Ed25519SigningKey,
    *,
    created: datetime | str | None = None,
    proof_purpose: str = "assertionMethod",
    loader: DocumentLoader = DEFAULT_LOADER,
) -> dict[str, Any]:
    """A copy of `credential` with an `eddsa-rdfc-2022` DataIntegrityProof.

    Refuses (SigningError) what a verifier would reject anyway: an existing proof, a key whose controller is
    not the issuer, undefined terms, unknown contexts, relative IRIs.
    """
    if not isinstance(credential, Mapping):
        raise SigningError("a credential is a JSON object", code="not_an_object")
    if "proof" in credential:
        raise SigningError("the credential already has a proof; remove it to sign again", code="already_signed")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if issuer_id != key.controller:
        raise SigningError(
            f"the key's controller {key.controller} is not the credential's issuer {issuer_id!r}: verifiers "
            "would reject the key binding; set issuer.id to the controller or use the issuer's key",
            code="controller_mismatch",
        )
    try:
        proof = create_proof(
            credential,
            key.private_key,
            verification_method=key.verification_method,
            created=created,
            proof_purpose=proof_purpose,
            loader=loader,
        )
    except (CanonicalizationError, DocumentLoaderError) as exc:
        raise SigningError(f"cannot sign: {exc.message}", code=exc.code) from exc
    return {**credential, "proof": proof}
