"""Issue a VC-JWT in the OB 3.0 / VC 2.0 form: the payload is the credential plus the registered claims."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from joserfc import jws

from rexvet_credentials.errors import SigningError
from rexvet_credentials.jwt.claims import claims_for, issuer_id
from rexvet_credentials.jwt.jwk import public_jwk
from rexvet_credentials.jwt.keys import JwtSigningKey, joserfc_key, jws_registry, quiet_eddsa_deprecation


def sign_vc_jwt(credential: Mapping[str, Any], key: JwtSigningKey, *, embed_jwk: bool = False) -> str:
    """A compact JWS over the credential (which must not carry an embedded proof).

    The header names the key by `kid` (the verification method id) so verifiers resolve it from the issuer;
    `embed_jwk` adds the public key as `jwk` as well (verifiers still check it belongs to the issuer).
    """
    if not isinstance(credential, Mapping):
        raise SigningError("a credential is a JSON object", code="not_an_object")
    if "proof" in credential:
        raise SigningError(
            "the credential has an embedded proof; a VC-JWT secures the credential without one", code="already_signed"
        )
    iss = issuer_id(credential)
    if iss is None:
        raise SigningError("the credential has no issuer id (needed for the iss claim)", code="issuer_missing")
    if key.controller is not None and key.controller != iss:
        raise SigningError(
            f"the key's controller {key.controller} is not the credential's issuer {iss}: verifiers would reject "
            "the key binding",
            code="controller_mismatch",
        )
    header: dict[str, Any] = {"alg": key.alg, "typ": "JWT"}
    if key.kid is not None:
        header["kid"] = key.kid
    if embed_jwk or key.kid is None:
        header["jwk"] = public_jwk(key.private_key)
    payload = {**credential, **claims_for(credential)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with quiet_eddsa_deprecation():
        return jws.serialize_compact(header, body, joserfc_key(key.private_key), registry=jws_registry(key.alg))
