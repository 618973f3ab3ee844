"""The W3C eddsa-rdfc-2022 test vectors (vc-di-eddsa TestVectors), reproduced byte for byte."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.data_integrity import create_proof, hash_data, proof_options
from rexvet_credentials.did_key import resolve_did_key
from rexvet_credentials.document_loader import DocumentLoader
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_ed25519_public
from rexvet_credentials.rdf import canonical_nquads
from rexvet_credentials.verify import verify_credential

pytestmark = pytest.mark.unit


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_key_pair_matches_the_vector(w3c_dir: Path, issuer_key: Ed25519SigningKey) -> None:
    pair = json.loads(_text(w3c_dir / "keyPair.json"))
    assert encode_ed25519_public(issuer_key.private_key.public_key()) == pair["publicKeyMultibase"]


def test_canonical_document_is_byte_exact(w3c_dir: Path, examples_loader: DocumentLoader) -> None:
    unsigned = json.loads(_text(w3c_dir / "unsigned.json"))
    expected = _text(w3c_dir / "eddsa-rdfc-2022" / "canonDocDataInt.txt")
    assert canonical_nquads(unsigned, examples_loader) == expected


def test_canonical_proof_options_are_byte_exact(w3c_dir: Path, examples_loader: DocumentLoader) -> None:
    config = json.loads(_text(w3c_dir / "eddsa-rdfc-2022" / "proofConfigDataInt.json"))
    expected = _text(w3c_dir / "eddsa-rdfc-2022" / "proofCanonDataInt.txt")
    assert canonical_nquads(config, examples_loader) == expected


def test_hashes_signature_and_proof_value(
    w3c_dir: Path, examples_loader: DocumentLoader, issuer_key: Ed25519SigningKey
) -> None:
    vectors = w3c_dir / "eddsa-rdfc-2022"
    unsigned = json.loads(_text(w3c_dir / "unsigned.json"))
    config = json.loads(_text(vectors / "proofConfigDataInt.json"))
    proof = {k: v for k, v in config.items() if k != "@context"}
    assert proof_options(unsigned, proof)["@context"] == config["@context"]

    combined = hash_data(unsigned, proof, examples_loader)
    assert combined[:32].hex() == _text(vectors / "proofHashDataInt.txt").strip()
    assert combined[32:].hex() == _text(vectors / "docHashDataInt.txt").strip()
    assert combined.hex() == _text(vectors / "combinedHashDataInt.txt").strip()
    assert hashlib.sha256(canonical_nquads(unsigned, examples_loader).encode()).hexdigest() == combined[32:].hex()

    signature = issuer_key.private_key.sign(combined)
    assert signature.hex() == _text(vectors / "sigHexDataInt.txt").strip()

    made = create_proof(
        unsigned,
        issuer_key.private_key,
        verification_method=config["verificationMethod"],
        created=config["created"],
        loader=examples_loader,
    )
    assert made["proofValue"] == _text(vectors / "sigBTC58DataInt.txt").strip()
    signed = json.loads(_text(vectors / "signedDataInt.json"))
    assert {**unsigned, "proof": made} == signed


async def test_signed_vector_verifies_signature_and_binding_fails_as_the_issuer_is_not_the_key(
    w3c_dir: Path, examples_loader: DocumentLoader
) -> None:
    # The vector's issuer is https://vc.example/issuers/5678 but it signs with a did:key: the signature is
    # valid, and rexvet still reports that the key does not belong to the issuer. It is not an OB credential, and
    # is held to the VC data model only, which it follows.
    signed = (w3c_dir / "eddsa-rdfc-2022" / "signedDataInt.json").read_bytes()
    report = await verify_credential(
        signed, clock=FixedClock(__import__("datetime").datetime(2024, 1, 1)), loader=examples_loader
    )
    assert report.check("proof").code == "signature_valid"
    assert report.check("key_binding").code == "controller_mismatch"
    assert report.check("structure").code == "structure_valid"
    assert "VC data model" in report.check("structure").message
    assert resolve_did_key(json.loads(signed)["proof"]["verificationMethod"]).controller.startswith("did:key:")
