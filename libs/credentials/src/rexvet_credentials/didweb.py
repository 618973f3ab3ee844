"""Key resolution over the network: did:web, https controller documents, and the issuer-url#multibase convention.

Every document is fetched through the guarded `DocumentFetcher` (the URL comes from an untrusted credential) and
cached for a while. A verification method is only returned when the controller document itself lists it: a
method such as `https://issuer.example/profile#z6Mk...` (a key written into the fragment, a convention 1EdTech's
examples use) is NOT trusted on its own, because anyone can write any key after any issuer's URL. The document
at the URL must list that key; when it cannot be fetched the key binding is "could not check", not "valid".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import ip_address
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from rexvet_credentials.did_key import resolve_did_key
from rexvet_credentials.errors import FetchError, KeyResolutionError, KeyResolutionUnavailable
from rexvet_credentials.jwt.jwk import public_key_from_jwk
from rexvet_credentials.multikey import decode_public_multikey
from rexvet_credentials.ports import Clock, DocumentFetcher, PublicKey, ResolvedKey

RELATIONSHIPS = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation", "keyAgreement")
DID_MEDIA_TYPES = "application/did+json, application/did+ld+json, application/ld+json;q=0.9, application/json;q=0.8"
DEFAULT_DOCUMENT_TTL = timedelta(minutes=5)
DEFAULT_MAX_DOCUMENTS = 1024
# Controller documents kept in all, by the size they were fetched at: anyone can name documents of 2 MiB each.
DEFAULT_MAX_DOCUMENT_BYTES = 8 * 1024 * 1024


def did_web_url(did: str, *, http_on_loopback: bool = False) -> str:
    """The https URL of a did:web DID's document (did:web spec, section 3.2.1 'Read').

    `http_on_loopback` is development's exception (`make run` serves the issuer on http://127.0.0.1:8003): a DID
    whose host is a loopback address or `localhost` is read over plain http. did:web itself knows only https.
    """
    if not did.startswith("did:web:"):
        raise KeyResolutionError(f"{did!r} is not a did:web", code="unsupported_did_method")
    parts = did.removeprefix("did:web:").split(":")
    host = unquote(parts[0])  # a port is written percent-encoded: did:web:example.com%3A8443
    if not host or "/" in host or "@" in host:
        raise KeyResolutionError(f"{did!r} has no valid host", code="invalid_did")
    path = "/".join(unquote(p) for p in parts[1:])
    if any(segment in ("", ".", "..") for segment in parts[1:]):
        raise KeyResolutionError(f"{did!r} has an empty or relative path segment", code="invalid_did")
    scheme = "http" if http_on_loopback and _is_loopback_host(host) else "https"
    return f"{scheme}://{host}/{path}/did.json" if path else f"{scheme}://{host}/.well-known/did.json"


def did_web_for_url(url: str) -> str:
    """The did:web DID whose document is `{url}/did.json` (the inverse of `did_web_url`; a port is kept, encoded)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{url!r} is not an https (or http) URL without query or fragment")
    if "@" in parts.netloc:
        raise ValueError(f"{url!r} carries credentials in its host")
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(segment in (".", "..") for segment in segments):
        raise ValueError(f"{url!r} has a relative path segment")
    return ":".join(["did:web", quote(parts.netloc.lower(), safe=""), *(quote(s, safe="") for s in segments)])


def _is_loopback_host(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]")[0]
    if name.lower() == "localhost":
        return True
    try:
        return ip_address(name).is_loopback
    except ValueError:
        return False


def document_url(verification_method: str, *, http_on_loopback: bool = False) -> tuple[str, str]:
    """(controller id, URL of its document) for a did:web or https verification method."""
    base, _, _fragment = verification_method.partition("#")
    if base.startswith("did:web:"):
        return base, did_web_url(base, http_on_loopback=http_on_loopback)
    if base.startswith("https://") or base.startswith("http://"):
        return base, base
    raise KeyResolutionError(
        f"cannot resolve verification method {verification_method!r}", code="unsupported_did_method"
    )


def _absolute(ref: str, document_id: str) -> str:
    return document_id + ref if ref.startswith("#") else ref


def _method_key(method: Mapping[str, Any]) -> PublicKey:
    if isinstance(method.get("publicKeyMultibase"), str):
        return decode_public_multikey(method["publicKeyMultibase"])
    if isinstance(method.get("publicKeyJwk"), Mapping):
        return public_key_from_jwk(method["publicKeyJwk"])
    raise KeyResolutionError(
        f"verification method {method.get('id')!r} has neither publicKeyMultibase nor publicKeyJwk",
        code="unsupported_key",
    )


@dataclass(frozen=True, slots=True)
class ControllerDocument:
    """The verification methods of a DID document or controller document, with their relationships."""

    id: str
    methods: Mapping[str, Mapping[str, Any]]
    purposes: Mapping[str, frozenset[str]]

    @classmethod
    def parse(cls, document: Mapping[str, Any], expected_id: str) -> ControllerDocument:
        doc_id = document.get("id")
        if doc_id != expected_id:
            raise KeyResolutionError(
                f"the document fetched for {expected_id} says its id is {doc_id!r}", code="controller_document_mismatch"
            )
        methods: dict[str, Mapping[str, Any]] = {}
        purposes: dict[str, set[str]] = {}

        def add(method: object) -> str | None:
            if isinstance(method, Mapping) and isinstance(method.get("id"), str):
                method_id = _absolute(method["id"], expected_id)
                methods[method_id] = method
                return method_id
            return None

        for method in _as_list(document.get("verificationMethod")):
            add(method)
        for relationship in RELATIONSHIPS:
            for item in _as_list(document.get(relationship)):
                method_id = _absolute(item, expected_id) if isinstance(item, str) else add(item)
                if method_id is not None:
                    purposes.setdefault(method_id, set()).add(relationship)
        return cls(expected_id, methods, {k: frozenset(v) for k, v in purposes.items()})

    def resolved(self, method_id: str) -> ResolvedKey:
        method = self.methods.get(method_id)
        if method is None:
            raise KeyResolutionError(
                f"{self.id}'s document does not list the verification method {method_id}", code="key_not_found"
            )
        controller = method.get("controller", self.id)
        if controller != self.id:
            # A document may only speak for itself: were another controller accepted here, a document at
            # did:web:attacker could declare its key "controlled by" the victim and pass the key binding.
            raise KeyResolutionError(
                f"verification method {method_id} in {self.id}'s document names {controller!r} as its controller",
                code="controller_mismatch",
            )
        return ResolvedKey(
            id=method_id,
            controller=controller,
            public_key=_method_key(method),
            method_type=str(method.get("type", "Multikey")),
            purposes=self.purposes.get(method_id, frozenset()),
        )

    def assertion_methods(self) -> list[str]:
        return [m for m, p in self.purposes.items() if "assertionMethod" in p]


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


class WebKeyResolver:
    """`KeyResolver` for did:web and https verification methods (did:key is delegated to the local resolver)."""

    def __init__(
        self,
        fetcher: DocumentFetcher,
        clock: Clock,
        *,
        ttl: timedelta = DEFAULT_DOCUMENT_TTL,
        max_documents: int = DEFAULT_MAX_DOCUMENTS,
        max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        did_web_http_on_loopback: bool = False,
    ) -> None:
        """`did_web_http_on_loopback`: development only (see `did_web_url`); the fetcher's policy must allow it too."""
        if max_documents < 1:
            raise ValueError("max_documents must be at least 1")
        self._fetcher = fetcher
        self._clock = clock
        self._ttl = ttl
        self._max = max_documents
        self._max_bytes = max_bytes
        self._http_on_loopback = did_web_http_on_loopback
        # Bounded by count and by bytes: a public verifier resolves whatever controllers anonymous callers name.
        self._cache: dict[str, tuple[datetime, ControllerDocument, int]] = {}
        self._bytes = 0

    @property
    def cached_bytes(self) -> int:
        """The fetched size of the documents kept now."""
        return self._bytes

    async def resolve(self, verification_method: str) -> ResolvedKey:
        if verification_method.startswith("did:key:"):
            return resolve_did_key(verification_method)
        controller_id, _url = document_url(verification_method)
        if "#" not in verification_method:
            raise KeyResolutionError(
                f"{verification_method!r} names a controller, not one of its verification methods", code="key_not_found"
            )
        document = await self.document(controller_id)
        return document.resolved(verification_method)

    async def assertion_keys(self, issuer_id: str) -> list[ResolvedKey]:
        """The issuer's keys for signing credentials (for a VC-JWT with neither `kid` nor `jwk`)."""
        if issuer_id.startswith("did:key:"):
            return [resolve_did_key(issuer_id)]
        document = await self.document(document_url(issuer_id)[0])
        keys: list[ResolvedKey] = []
        for method_id in document.assertion_methods():
            try:
                keys.append(document.resolved(method_id))
            except KeyResolutionError:
                continue  # an unusable method (unknown key type) does not hide the usable ones
        return keys

    async def document(self, controller_id: str) -> ControllerDocument:
        now = self._clock.now()
        cached = self._cache.get(controller_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        url = self.document_url(controller_id)
        try:
            fetched = await self._fetcher.fetch(url, accept=DID_MEDIA_TYPES)
        except FetchError as exc:
            if exc.code.startswith("fetch_refused"):
                # The verifier will never fetch it (private address, plain http...): a definite failure.
                raise KeyResolutionError(
                    f"the controller document of {controller_id} is not fetchable: {exc.message}",
                    code="controller_document_refused",
                ) from exc
            raise KeyResolutionUnavailable(
                f"the controller document of {controller_id} could not be fetched: {exc.message}"
            ) from exc
        try:
            data = json.loads(fetched.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise KeyResolutionError(f"{url} is not JSON", code="controller_document_invalid") from exc
        if not isinstance(data, Mapping):
            raise KeyResolutionError(f"{url} is not a JSON object", code="controller_document_invalid")
        document = ControllerDocument.parse(data, controller_id)
        self._remember(controller_id, now, document, len(fetched.content))
        return document

    def document_url(self, controller_id: str) -> str:
        """Where this resolver reads the document of `controller_id` (a did:web, https or http id)."""
        return document_url(controller_id, http_on_loopback=self._http_on_loopback)[1]

    def _remember(self, controller_id: str, now: datetime, document: ControllerDocument, size: int) -> None:
        self._pop(controller_id)  # re-inserted last: the dict's order is the order of fetching
        if size > self._max_bytes:
            return  # used for this verification only
        if len(self._cache) >= self._max or self._bytes + size > self._max_bytes:
            for expired in [key for key, (until, _, _) in self._cache.items() if until <= now]:
                self._pop(expired)
            while self._cache and (len(self._cache) >= self._max or self._bytes + size > self._max_bytes):
                self._pop(next(iter(self._cache)))  # the longest-held one
        self._cache[controller_id] = (now + self._ttl, document, size)
        self._bytes += size

    def _pop(self, controller_id: str) -> None:
        held = self._cache.pop(controller_id, None)
        if held is not None:
            self._bytes -= held[2]

    def forget(self, controller_ids: Iterable[str]) -> None:
        for controller_id in controller_ids:
            self._pop(controller_id)
