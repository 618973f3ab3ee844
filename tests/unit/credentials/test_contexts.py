"""The pinned offline document loader."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from rexvet_credentials.contexts import PINNED_CONTEXTS, PinnedContext
from rexvet_credentials.document_loader import (
    DocumentLoader,
    load_pinned_context,
    pinned_context_urls,
    read_pinned_bytes,
)
from rexvet_credentials.errors import DocumentLoaderError

pytestmark = pytest.mark.unit

# conformance file for each pinned URL (tests/conformance/README.md)
REFERENCE = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://www.w3.org/2018/credentials/v1": "2018-credentials-v1.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "security-suites-ed25519-2020-v1.jsonld",
    "https://www.w3.org/ns/credentials/undefined-terms/v2": "credentials-undefined-terms-v2.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
}


# pinned from a package that ships it as a JavaScript module (contexts/__init__.py); no reference copy exists in
# tests/conformance, so it is held to the next revision, which differs from it by one term
WITHOUT_REFERENCE = {"https://purl.imsglobal.org/spec/ob/v3p0/context.json"}


def test_every_required_context_is_pinned() -> None:
    assert pinned_context_urls() == frozenset(REFERENCE) | WITHOUT_REFERENCE


def test_the_first_ob_context_is_3_0_1_without_awarded_date(conformance_dir: Path) -> None:
    first = load_pinned_context("https://purl.imsglobal.org/spec/ob/v3p0/context.json")["@context"]
    later = json.loads((conformance_dir / "contexts" / "ob-v3p0-3.0.1.json").read_bytes())["@context"]
    assert set(later) - set(first) == {"awardedDate"}
    assert set(first) <= set(later)
    assert first["OpenBadgeCredential"] == later["OpenBadgeCredential"]


@pytest.mark.parametrize("url", sorted(REFERENCE))
def test_pinned_copy_equals_the_reference_as_json(url: str, conformance_dir: Path) -> None:
    reference = json.loads((conformance_dir / "contexts" / REFERENCE[url]).read_bytes())
    assert load_pinned_context(url) == reference


def test_the_examples_context_is_pinned_by_its_sha256(conformance_dir: Path) -> None:
    pinned = next(c for c in PINNED_CONTEXTS if c.url == "https://www.w3.org/ns/credentials/examples/v2")
    data = read_pinned_bytes(pinned)
    assert hashlib.sha256(data).hexdigest() == pinned.sha256
    # byte for byte the W3C document the conformance folder records (tests/conformance/README.md)
    assert data == (conformance_dir / "contexts" / "credentials-examples-v2.jsonld").read_bytes()
    assert load_pinned_context(pinned.url) == {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}


def test_a_copy_with_other_bytes_is_refused() -> None:
    genuine = next(c for c in PINNED_CONTEXTS if c.url == "https://www.w3.org/ns/credentials/v2")
    tampered = PinnedContext(genuine.url, genuine.package, genuine.resource, "0" * 64)
    with pytest.raises(DocumentLoaderError) as info:
        read_pinned_bytes(tampered)
    assert info.value.code == "context_hash_mismatch"
    assert genuine.url in info.value.message


def test_a_missing_file_is_reported() -> None:
    missing = PinnedContext("https://example.org/ctx", "rexvet_credentials.contexts.vendored", "nope.jsonld", "0")
    with pytest.raises(DocumentLoaderError) as info:
        read_pinned_bytes(missing)
    assert info.value.code == "context_missing"


def test_any_other_url_is_an_error_naming_it() -> None:
    with pytest.raises(DocumentLoaderError) as info:
        DocumentLoader().load("https://evil.example/context.json")
    assert info.value.code == "unknown_context"
    assert "https://evil.example/context.json" in info.value.message


def test_extra_documents_are_served_only_by_the_loader_that_has_them() -> None:
    loader = DocumentLoader({"https://example.org/extra": {"@context": {}}})
    assert loader.load("https://example.org/extra") == {"@context": {}}
    assert not DocumentLoader().knows("https://example.org/extra")
