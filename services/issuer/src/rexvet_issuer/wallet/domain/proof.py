"""The holder's key proof: a JWT proof (OpenID4VCI 1.0 section 8.2.1.1 and Appendix F.1), checked with joserfc.

Header: `typ` = openid4vci-proof+jwt, an asymmetric `alg` (EdDSA/Ed25519, ES256), and the key either as `kid` (a
did:key or did:jwk DID URL: the DID is the holder) or as `jwk` (a public JWK: the holder becomes its did:jwk).
Claims: `aud` = the credential issuer identifier, `iat` (recent, not in the future), `nonce` (a c_nonce from the
nonce endpoint; whether it is one is the application's question, since nonces are stored). `x5c` and key
attestations are not offered by the metadata, so they are refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError

from rexvet_credentials.did_key import resolve_did_key
from rexvet_credentials.errors import KeyResolutionError
from rexvet_credentials.jwt.jwk import public_jwk, public_key_from_jwk
from rexvet_credentials.jwt.keys import joserfc_key, jws_registry, key_matches_algorithm, quiet_eddsa_deprecation
from rexvet_credentials.ports import PublicKey
from rexvet_issuer.wallet.domain.errors import INVALID_PROOF, WalletRefusal

PROOF_TYPE = "openid4vci-proof+jwt"
PROOF_ALGORITHMS = ("EdDSA", "Ed25519", "ES256")
CLOCK_SKEW = timedelta(seconds=60)
MAX_PROOF_BYTES = 16 * 1024


@dataclass(frozen=True)
class HolderKey:
    """Who the credential is bound to: the holder's DID, and how the proof named the key."""

    did: str
    key_id: str  # the kid as sent, or the did:jwk URL made from the jwk header
    public_jwk: dict[str, Any]


@dataclass(frozen=True)
class CheckedProof:
    holder: HolderKey
    nonce: str


def _refuse(description: str) -> WalletRefusal:
    return WalletRefusal(INVALID_PROOF, description)


def _b64url_json(part: str) -> Any:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def did_jwk_for(jwk: dict[str, Any]) -> str:
    """did:jwk: the public JWK's JSON, base64url without padding (did:jwk specification)."""
    encoded = base64.urlsafe_b64encode(json.dumps(jwk, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"did:jwk:{encoded}"


def _holder_from_kid(kid: str) -> tuple[HolderKey, PublicKey]:
    did, _, fragment = kid.partition("#")
    try:
        if did.startswith("did:key:"):
            resolved = resolve_did_key(kid)
            return HolderKey(did, kid, public_jwk(resolved.public_key)), resolved.public_key
        if did.startswith("did:jwk:"):
            if fragment not in ("", "0"):
                raise _refuse("a did:jwk key id's fragment is #0")
            key = public_key_from_jwk(_b64url_json(did.removeprefix("did:jwk:")))
            return HolderKey(did, kid, public_jwk(key)), key
    except (KeyResolutionError, ValueError, binascii.Error, UnicodeDecodeError) as bad:
        raise _refuse(f"the kid {kid!r} names no usable key: {bad}") from bad
    raise _refuse("the kid must be a did:key or did:jwk DID URL (cryptographic_binding_methods_supported)")


def _holder_from_jwk(jwk: Any) -> tuple[HolderKey, PublicKey]:
    if not isinstance(jwk, dict):
        raise _refuse("the jwk header must be a JSON Web Key object")
    if "d" in jwk:
        raise _refuse("the jwk header carries a private key: send the public key only")
    try:
        key = public_key_from_jwk(jwk)
    except KeyResolutionError as bad:
        raise _refuse(f"the jwk header: {bad}") from bad
    public = public_jwk(key)
    did = did_jwk_for(public)
    return HolderKey(did, f"{did}#0", public), key


def check_proof_jwt(proof: Any, *, audience: str, now: datetime, max_age: timedelta) -> CheckedProof:
    """The proof's signature and claims; `WalletRefusal(invalid_proof)` naming the first thing wrong."""
    if not isinstance(proof, str) or not proof or len(proof) > MAX_PROOF_BYTES:
        raise _refuse("a jwt proof is a compact JWS string")
    parts = proof.split(".")
    if len(parts) != 3:
        raise _refuse("a jwt proof is a compact JWS: three base64url parts")
    try:
        header = _b64url_json(parts[0])
    except (ValueError, binascii.Error, UnicodeDecodeError) as bad:
        raise _refuse("the proof's header is not base64url JSON") from bad
    if not isinstance(header, dict):
        raise _refuse("the proof's header is not a JSON object")
    if header.get("typ") != PROOF_TYPE:
        raise _refuse(f"the proof's typ must be {PROOF_TYPE!r}")
    alg = header.get("alg")
    if alg not in PROOF_ALGORITHMS:
        raise _refuse(f"the proof's alg must be one of {list(PROOF_ALGORITHMS)}")
    named = [name for name in ("kid", "jwk", "x5c") if name in header]
    if len(named) != 1:
        raise _refuse("the proof's header names the key exactly once: kid or jwk")
    if named == ["x5c"]:
        raise _refuse("x5c is not supported here: name the key with kid (did:key, did:jwk) or jwk")
    kid = header.get("kid")
    if named == ["kid"] and not isinstance(kid, str):
        raise _refuse("the kid is a DID URL string")
    holder, key = _holder_from_kid(kid) if isinstance(kid, str) else _holder_from_jwk(header.get("jwk"))
    if not key_matches_algorithm(key, str(alg)):
        raise _refuse(f"the holder's key cannot sign with {alg}")
    try:
        with quiet_eddsa_deprecation():
            verified = jws.deserialize_compact(proof, joserfc_key(key), registry=jws_registry(str(alg)))
        claims = json.loads(verified.payload)
    except (JoseError, ValueError, UnicodeDecodeError) as bad:
        raise _refuse(f"the proof's signature does not verify with the holder's key: {bad}") from bad
    if not isinstance(claims, dict):
        raise _refuse("the proof's payload is not a JSON object")
    return CheckedProof(holder, _checked_claims(claims, audience=audience, now=now, max_age=max_age))


def _checked_claims(claims: dict[str, Any], *, audience: str, now: datetime, max_age: timedelta) -> str:
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if audience not in audiences:
        raise _refuse(f"the proof's aud must be the credential issuer {audience}")
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise _refuse("the proof needs iat (seconds since the epoch)")
    signed_at = datetime.fromtimestamp(iat, now.tzinfo)
    if signed_at > now + CLOCK_SKEW:
        raise _refuse("the proof's iat is in the future")
    if signed_at < now - max_age:
        raise _refuse("the proof is too old: sign a new one with a fresh c_nonce")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise _refuse("the proof needs the nonce claim: a c_nonce from the nonce endpoint")
    return nonce
