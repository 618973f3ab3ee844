"""1EdTech's validator test inputs (tests/conformance/1edtech-validator-ob30/): what rexvet reports, and why.

Offline, with no documents preloaded, rexvet cannot fetch an https controller document, so an `https://...#key`
verification method leaves the proof "not checked" and the report `incomplete` (never `verified`). The tests then
serve each issuer a controller document listing the key (the files put the key in the URL fragment; rexvet only
trusts a fragment key that the issuer's own document lists) to show what is decided once that lookup succeeds.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.didweb import WebKeyResolver
from rexvet_credentials.offline_documents import PreloadedFetcher
from rexvet_credentials.report import CheckOutcome, Outcome, VerificationReport
from rexvet_credentials.status.revocation_list import RevocationListChecker
from rexvet_credentials.verify import verify_credential

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))


def _load(conformance_dir: Path, name: str) -> bytes:
    return (conformance_dir / "1edtech-validator-ob30" / name).read_bytes()


def _controller_document(method: str) -> dict[str, Any]:
    controller, _, fragment = method.partition("#")
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": controller,
        "verificationMethod": [
            {"id": method, "type": "Multikey", "controller": controller, "publicKeyMultibase": fragment}
        ],
        "assertionMethod": [method],
    }


async def _verify_with_issuer_document(data: bytes, fetcher: PreloadedFetcher | None = None) -> VerificationReport:
    credential = json.loads(data)
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    method = proof["verificationMethod"]
    fetcher = fetcher or PreloadedFetcher()
    fetcher.add(method.partition("#")[0], json.dumps(_controller_document(method)).encode())
    return await verify_credential(
        data, clock=CLOCK, key_resolver=WebKeyResolver(fetcher, CLOCK), status_checker=RevocationListChecker(fetcher)
    )


@pytest.mark.parametrize("name", ["simple.json", "simple-did-web-method.json"])
async def test_https_fragment_key_is_incomplete_offline_and_verified_with_the_issuer_document(
    conformance_dir: Path, name: str
) -> None:
    data = _load(conformance_dir, name)
    offline = await verify_credential(data, clock=CLOCK)
    # why: the key is only in the URL fragment; its issuer's document cannot be fetched offline
    assert offline.outcome is Outcome.INCOMPLETE
    assert offline.check("proof").code == "key_resolution_unavailable"
    assert offline.check("structure").outcome is CheckOutcome.PASSED

    online = await _verify_with_issuer_document(data)
    # why: once the issuer lists the key, the eddsa-rdfc-2022 signature and the key binding are valid
    assert online.outcome is Outcome.VERIFIED
    assert online.check("proof").code == "signature_valid"


async def test_did_key_signed_for_a_urn_uuid_issuer_is_verified_with_a_named_warning(conformance_dir: Path) -> None:
    data = _load(conformance_dir, "simple-did-key-method.json")
    report = await verify_credential(data, clock=CLOCK)
    # why: the signature is valid; the did:key's controller is the did:key itself, while the issuer is
    # urn:uuid:6f2e..., an id that names no document that could list keys: the binding can be neither shown nor
    # refuted, so it is the warning `issuer_not_resolvable` (1EdTech accepts the file)
    assert report.check("proof").code == "signature_valid"
    binding = report.check("key_binding")
    assert (binding.outcome, binding.code, binding.severity.value) == (
        CheckOutcome.FAILED,
        "issuer_not_resolvable",
        "warning",
    )
    assert report.outcome is Outcome.VERIFIED
    assert binding in report.warnings


async def test_complete_json_uses_the_deprecated_revocation_list(conformance_dir: Path) -> None:
    data = _load(conformance_dir, "complete.json")
    offline = await verify_credential(data, clock=CLOCK)
    # why: the key (https fragment) and the 1EdTechRevocationList both need documents that are not available
    assert offline.outcome is Outcome.INCOMPLETE
    assert offline.check("status").code == "status_checker_unavailable"

    credential = json.loads(data)
    list_url = credential["credentialStatus"]["id"]
    fetcher = PreloadedFetcher()
    fetcher.add(list_url, json.dumps({"id": list_url, "revokedCredentials": []}).encode())
    report = await _verify_with_issuer_document(data, fetcher)
    # why: signed with eddsa-rdfc-2022 over a dataset whose embedded endorsement proofs make blank nodes that
    # need RDFC-1.0's N-degree hashing; the signature checks out, and the revocation list does not list it
    assert report.check("proof").code == "signature_valid"
    assert report.check("status").outcome is CheckOutcome.PASSED
    assert report.outcome is Outcome.VERIFIED

    revoked = PreloadedFetcher()
    revoked.add(list_url, json.dumps({"id": list_url, "revokedCredentials": [{"id": credential["id"]}]}).encode())
    assert (await _verify_with_issuer_document(data, revoked)).outcome is Outcome.FAILED


async def test_vc_jwt_is_not_taken_for_json(conformance_dir: Path) -> None:
    report = await verify_credential(_load(conformance_dir, "simple.jwt"), clock=CLOCK)
    # why: a compact JWS is verified by the VC-JWT path, not as a JSON credential with an embedded proof
    assert report.check("parse").code == "unsupported_format"
    assert report.outcome is Outcome.FAILED
