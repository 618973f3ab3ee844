"""Verification methods published in a controller document (an issuer Profile or DID document at an URL).

`https://issuer.example/profile#key-1` is looked up by fetching `https://issuer.example/profile` through the
injected fetcher and finding the method with that id; the method's `controller` and the document's
`assertionMethod` entries say who controls it and what it may sign. The did:web resolver can reuse this by
mapping the DID to its URL (`url_for`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from rexvet_credentials.errors import FetchError, KeyResolutionError, KeyResolutionUnavailable
from rexvet_credentials.multikey import decode_public_multikey
from rexvet_credentials.ports import DocumentFetcher, ResolvedKey

_RELATIONSHIPS = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")


def _identity(url: str) -> str:
    return url


def _ids(entries: Any, base: str) -> set[str]:
    out: set[str] = set()
    for entry in entries if isinstance(entries, list) else [entries]:
        value = entry.get("id") if isinstance(entry, Mapping) else entry
        if isinstance(value, str):
            out.add(base + value if value.startswith("#") else value)
    return out


def find_method(document: Mapping[str, Any], method_id: str, document_id: str) -> ResolvedKey:
    """The verification method `method_id` in a parsed controller document."""
    candidates: list[Any] = []
    for key in ("verificationMethod", *_RELATIONSHIPS):
        value = document.get(key)
        candidates.extend(value if isinstance(value, list) else [value] if value else [])
    for entry in candidates:
        if not isinstance(entry, Mapping):
            continue
        entry_id = entry.get("id")
        if isinstance(entry_id, str) and entry_id.startswith("#"):
            entry_id = document_id + entry_id
        if entry_id != method_id:
            continue
        multibase = entry.get("publicKeyMultibase")
        if not isinstance(multibase, str):
            raise KeyResolutionError(
                f"verification method {method_id} has no publicKeyMultibase", code="unsupported_key"
            )
        controller = entry.get("controller")
        if not isinstance(controller, str):
            raise KeyResolutionError(f"verification method {method_id} has no controller", code="key_not_found")
        purposes = frozenset(rel for rel in _RELATIONSHIPS if method_id in _ids(document.get(rel, []), document_id))
        return ResolvedKey(
            id=method_id,
            controller=controller,
            public_key=decode_public_multikey(multibase),
            method_type=str(entry.get("type", "Multikey")),
            purposes=purposes,
        )
    raise KeyResolutionError(f"{document_id} does not list verification method {method_id}", code="key_not_found")


class ControllerDocumentResolver:
    """KeyResolver for verification methods whose id is `<document URL>#<fragment>`."""

    def __init__(self, fetcher: DocumentFetcher, url_for: Callable[[str], str] = _identity) -> None:
        self._fetcher = fetcher
        self._url_for = url_for

    async def resolve(self, verification_method: str) -> ResolvedKey:
        document_id = verification_method.partition("#")[0]
        url = self._url_for(document_id)
        try:
            fetched = await self._fetcher.fetch(url)
        except FetchError as exc:
            raise KeyResolutionUnavailable(
                f"the controller document {url} could not be fetched: {exc.message}", code=exc.code
            ) from exc
        try:
            document = json.loads(fetched.content)
        except ValueError as exc:
            raise KeyResolutionError(f"the controller document {url} is not JSON", code="key_not_found") from exc
        if not isinstance(document, Mapping):
            raise KeyResolutionError(f"the controller document {url} is not an object", code="key_not_found")
        if document.get("id", document_id) != document_id:
            raise KeyResolutionError(
                f"the document at {url} is for {document.get('id')!r}, not {document_id}", code="key_not_found"
            )
        return find_method(document, verification_method, document_id)
