"""The Open Badges 3.0 implementation guide's canonical N-Quads, reproduced byte for byte.

The guide publishes only the canonical output, so the input is the guide's example credential (the one
1EdTech's validator ships as simple.json, with the guide's issuer id and url).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.data_integrity import proof_options
from rexvet_credentials.rdf import canonical_nquads

pytestmark = pytest.mark.unit

GUIDE_ISSUER = "https://example.edu/issuers/565049"
GUIDE_METHOD = f"{GUIDE_ISSUER}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


def _guide_example(conformance_dir: Path) -> dict[str, Any]:
    credential: dict[str, Any] = json.loads((conformance_dir / "1edtech-validator-ob30" / "simple.json").read_text())
    credential["issuer"]["id"] = GUIDE_ISSUER
    credential["issuer"]["url"] = "https://www.imsglobal.org"
    del credential["proof"]
    return credential


def test_document_canonical_form(conformance_dir: Path) -> None:
    expected = (conformance_dir / "ob-spec-test-vectors" / "document-canon.txt").read_text(encoding="utf-8")
    credential = _guide_example(conformance_dir)
    assert canonical_nquads(credential) == expected


def test_proof_canonical_form(conformance_dir: Path) -> None:
    expected = (conformance_dir / "ob-spec-test-vectors" / "proof-canon.txt").read_text(encoding="utf-8")
    proof = {
        "type": "DataIntegrityProof",
        "created": "2010-01-01T19:23:24Z",
        "verificationMethod": GUIDE_METHOD,
        "cryptosuite": "eddsa-rdfc-2022",
        "proofPurpose": "assertionMethod",
    }
    assert canonical_nquads(proof_options(_guide_example(conformance_dir), proof)) == expected
