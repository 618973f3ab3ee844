"""did:key resolved locally: the key is in the identifier, so no document is fetched."""

from __future__ import annotations

from functools import lru_cache

from rexvet_credentials.errors import KeyResolutionError, KeyResolutionUnavailable
from rexvet_credentials.multikey import decode_public_multikey
from rexvet_credentials.ports import ResolvedKey

# did:key documents list the key under every verification relationship.
_DID_KEY_PURPOSES = frozenset({"assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation"})


@lru_cache(maxsize=4096)  # did:key resolution is a pure function of the identifier
def resolve_did_key(verification_method: str) -> ResolvedKey:
    """`did:key:z6Mk...#z6Mk...` (or the bare DID) -> the Ed25519/P-256 key, controlled by the DID itself."""
    did, _, fragment = verification_method.partition("#")
    if not did.startswith("did:key:"):
        raise KeyResolutionError(f"{verification_method!r} is not a did:key", code="unsupported_did_method")
    multibase = did.removeprefix("did:key:")
    if fragment and fragment != multibase:
        raise KeyResolutionError(
            f"{verification_method!r}: a did:key verification method's fragment must repeat the key ({multibase})",
            code="key_not_found",
        )
    public_key = decode_public_multikey(multibase)
    return ResolvedKey(
        id=f"{did}#{multibase}",
        controller=did,
        public_key=public_key,
        method_type="Multikey",
        purposes=_DID_KEY_PURPOSES,
    )


class DidKeyResolver:
    """A KeyResolver for did:key only."""

    async def resolve(self, verification_method: str) -> ResolvedKey:
        return resolve_did_key(verification_method)


class CompositeKeyResolver:
    """did:key locally; anything else goes to `fallback` (for example the did:web / https resolver)."""

    def __init__(self, fallback: object | None = None) -> None:
        self._fallback = fallback

    async def resolve(self, verification_method: str) -> ResolvedKey:
        if verification_method.startswith("did:key:"):
            return resolve_did_key(verification_method)
        resolve = getattr(self._fallback, "resolve", None)
        if resolve is None and verification_method.startswith(("https://", "http://", "did:web:")):
            # Resolvable in principle, just not by this configuration: "could not check", not "invalid".
            raise KeyResolutionUnavailable(
                f"verification method {verification_method!r} needs its controller document fetched, and no "
                "resolver for did:web / https was configured (offline: preload it with --document URL=PATH)",
                code="key_resolution_unavailable",
            )
        if resolve is None:
            raise KeyResolutionError(
                f"no resolver is configured for verification method {verification_method!r} "
                "(only did:key is resolved locally)",
                code="unsupported_did_method",
            )
        result: ResolvedKey = await resolve(verification_method)
        return result
