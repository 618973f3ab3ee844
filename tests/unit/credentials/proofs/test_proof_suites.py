"""The proof suites verified beside eddsa-rdfc-2022: ecdsa-rdfc-2019 (P-256, P-384) and ecdsa-sd-2023 derived
proofs made by Digital Bazaar's suites (digital_bazaar/README.md), several proofs on one credential, and
previousProof chains. Each outcome with the code the report gives it."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cbor2
import pytest

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.data_integrity import create_proof, proof_options
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_base58btc
from rexvet_credentials.rdf import canonical_nquads
from rexvet_credentials.report import CheckOutcome, Outcome, VerificationReport
from rexvet_credentials.verify import verify_credential

from ..ob3_credentials import ob3_credential

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 12, 31, tzinfo=UTC))
VECTORS = Path(__file__).parent / "digital_bazaar"
ISSUER_KEY = Ed25519SigningKey.generate()
WITNESS_KEY = Ed25519SigningKey.generate()


def load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((VECTORS / name).read_text())
    return loaded


async def verify(credential: dict[str, Any]) -> VerificationReport:
    return await verify_credential(json.dumps(credential).encode(), clock=CLOCK)


def proof_code(report: VerificationReport) -> tuple[CheckOutcome, str]:
    return report.check("proof").outcome, report.check("proof").code


# --- ecdsa-rdfc-2019 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ecdsa-rdfc-2019-p256.json", "ecdsa-rdfc-2019-p384.json"])
async def test_ecdsa_rdfc_2019_by_digital_bazaar_verifies(name: str) -> None:
    report = await verify(load(name))
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert proof_code(report) == (CheckOutcome.PASSED, "signature_valid")
    assert "ecdsa-rdfc-2019" in report.check("proof").message
    assert report.check("key_binding").code == "key_bound_to_issuer"


@pytest.mark.parametrize("name", ["ecdsa-rdfc-2019-p256.json", "ecdsa-rdfc-2019-p384.json"])
async def test_ecdsa_rdfc_2019_changed_after_signing_fails(name: str) -> None:
    credential = load(name)
    credential["name"] = "Changed after signing"
    assert proof_code(await verify(credential)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_a_p256_signature_under_a_p384_key_fails() -> None:
    p256, p384 = load("ecdsa-rdfc-2019-p256.json"), load("ecdsa-rdfc-2019-p384.json")
    p384["proof"]["proofValue"] = p256["proof"]["proofValue"]  # 64 bytes where the P-384 key signs 96
    assert proof_code(await verify(p384)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_an_ecdsa_signature_of_the_wrong_size_is_malformed() -> None:
    credential = load("ecdsa-rdfc-2019-p256.json")
    credential["proof"]["proofValue"] = encode_base58btc(b"\1" * 70)
    assert proof_code(await verify(credential)) == (CheckOutcome.FAILED, "proof_malformed")


# --- ecdsa-sd-2023 ----------------------------------------------------------------------------------------------


async def test_ecdsa_sd_2023_derived_proof_by_digital_bazaar_verifies() -> None:
    derived = load("ecdsa-sd-2023-derived.json")
    assert "description" not in derived  # withheld by the holder
    report = await verify(derived)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert proof_code(report) == (CheckOutcome.PASSED, "signature_valid")
    assert "ecdsa-sd-2023" in report.check("proof").message


async def test_a_changed_disclosed_statement_fails() -> None:
    derived = load("ecdsa-sd-2023-derived.json")
    derived["credentialSubject"]["achievement"]["name"] = "Another badge"
    assert proof_code(await verify(derived)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_a_changed_mandatory_statement_fails() -> None:
    derived = load("ecdsa-sd-2023-derived.json")
    derived["validFrom"] = "2020-01-01T00:00:00Z"
    assert proof_code(await verify(derived)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_a_withheld_statement_added_back_fails() -> None:
    derived = load("ecdsa-sd-2023-derived.json")
    derived["description"] = load("ecdsa-sd-2023-base.json")["description"]  # the issuer's words, but not disclosed
    assert proof_code(await verify(derived)) == (CheckOutcome.FAILED, "signature_invalid")


def _rewrite_proof_value(derived: dict[str, Any], change: Any) -> dict[str, Any]:
    changed = copy.deepcopy(derived)
    value = changed["proof"]["proofValue"]
    raw = base64.urlsafe_b64decode(value[1:] + "=" * (-len(value[1:]) % 4))
    parts = change(cbor2.loads(raw[3:]))
    changed["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(raw[:3] + cbor2.dumps(parts)).rstrip(b"=").decode()
    return changed


async def test_a_dropped_statement_signature_fails() -> None:
    derived = _rewrite_proof_value(load("ecdsa-sd-2023-derived.json"), lambda p: [p[0], p[1], p[2][1:], p[3], p[4]])
    assert proof_code(await verify(derived)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_a_statement_moved_to_mandatory_fails() -> None:
    derived = _rewrite_proof_value(load("ecdsa-sd-2023-derived.json"), lambda p: [p[0], p[1], p[2], p[3], p[4][1:]])
    assert proof_code(await verify(derived)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_byte_strings_tagged_as_uint8_arrays_are_read() -> None:
    # early writers (the W3C test vectors) wrap each byte string in CBOR tag 64; the value is the same
    def tagged(parts: list[Any]) -> list[Any]:
        wrap = cbor2.CBORTag
        return [wrap(64, parts[0]), wrap(64, parts[1]), [wrap(64, s) for s in parts[2]], parts[3], parts[4]]

    derived = _rewrite_proof_value(load("ecdsa-sd-2023-derived.json"), tagged)
    assert proof_code(await verify(derived)) == (CheckOutcome.PASSED, "signature_valid")


async def test_a_derived_proof_value_that_is_not_five_items_is_malformed() -> None:
    derived = _rewrite_proof_value(load("ecdsa-sd-2023-derived.json"), lambda p: p[:4])
    assert proof_code(await verify(derived)) == (CheckOutcome.FAILED, "proof_malformed")


async def test_the_base_proof_by_digital_bazaar_verifies_as_the_holder_checks_it() -> None:
    report = await verify(load("ecdsa-sd-2023-base.json"))
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert proof_code(report) == (CheckOutcome.PASSED, "signature_valid")


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),  # mandatory
        lambda c: c.update(description="Another description"),  # selectively disclosable
        lambda c: c["credentialSubject"]["achievement"]["tag"].append("added"),
    ],
    ids=["mandatory", "disclosable", "array item added"],
)
async def test_a_base_proof_changed_after_signing_fails(change: Any) -> None:
    # (reordering an array changes nothing: JSON-LD arrays are sets, and the signature covers the statements)
    base = load("ecdsa-sd-2023-base.json")
    change(base)
    assert proof_code(await verify(base)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_a_base_proof_whose_pointer_matches_nothing_is_malformed() -> None:
    base = _rewrite_proof_value(load("ecdsa-sd-2023-base.json"), lambda p: [*p[:4], [*p[4], "/nothing/here"]])
    assert proof_code(await verify(base)) == (CheckOutcome.FAILED, "proof_malformed")


async def test_a_base_proof_with_another_mandatory_set_fails() -> None:
    base = _rewrite_proof_value(load("ecdsa-sd-2023-base.json"), lambda p: [*p[:4], p[4][1:]])
    assert proof_code(await verify(base)) == (CheckOutcome.FAILED, "signature_invalid")


async def test_a_proof_value_that_is_not_base64url_multibase_is_malformed() -> None:
    derived = load("ecdsa-sd-2023-derived.json")
    derived["proof"]["proofValue"] = "z" + derived["proof"]["proofValue"][1:]
    assert proof_code(await verify(derived)) == (CheckOutcome.FAILED, "proof_malformed")


# --- several proofs, previousProof ------------------------------------------------------------------------------


def unsigned(issuer: str | None = None) -> dict[str, Any]:
    return ob3_credential(issuer or ISSUER_KEY.controller)


def prove(document: dict[str, Any], key: Ed25519SigningKey, **extra: Any) -> dict[str, Any]:
    """An eddsa-rdfc-2022 proof of `document`; with `previousProof`, over the document and the proofs it names."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-02-01T00:00:00Z",
        "verificationMethod": key.verification_method,
        "proofPurpose": "assertionMethod",
        **extra,
    }
    previous = extra.get("previousProof")
    if previous is None:
        return create_proof(
            document, key.private_key, verification_method=key.verification_method, created=options["created"]
        )
    names = [previous] if isinstance(previous, str) else previous
    secured = {**document, "proof": [p for p in document.get("proof", []) if p.get("id") in names]}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    data = hashlib.sha256(canonical_nquads(proof_options(unsecured, options)).encode()).digest()
    data += hashlib.sha256(canonical_nquads(secured).encode()).digest()
    return {**options, "proofValue": encode_base58btc(key.private_key.sign(data))}


async def test_two_proofs_by_issuer_and_witness_verify() -> None:
    document = unsigned()
    credential = {**document, "proof": [prove(document, ISSUER_KEY), prove(document, WITNESS_KEY)]}
    report = await verify(credential)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert proof_code(report) == (CheckOutcome.PASSED, "signature_valid")
    assert report.check("proof").details["methods"] == [ISSUER_KEY.verification_method, WITNESS_KEY.verification_method]
    assert report.check("key_binding").code == "key_bound_to_issuer"


async def test_one_bad_proof_of_two_fails_and_is_named() -> None:
    document = unsigned()
    forged = {**prove(document, WITNESS_KEY), "verificationMethod": ISSUER_KEY.verification_method}
    report = await verify({**document, "proof": [prove(document, ISSUER_KEY), forged]})
    assert proof_code(report) == (CheckOutcome.FAILED, "signature_invalid")
    assert report.check("proof").message.startswith("proof 2 of 2:")


async def test_two_proofs_neither_by_the_issuer_fail_the_key_binding() -> None:
    document = unsigned("did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
    report = await verify({**document, "proof": [prove(document, ISSUER_KEY), prove(document, WITNESS_KEY)]})
    assert proof_code(report)[0] is CheckOutcome.PASSED
    assert report.check("key_binding").code == "controller_mismatch"
    assert report.outcome is Outcome.FAILED


async def test_a_malformed_proof_among_several_is_named() -> None:
    document = unsigned()
    report = await verify({**document, "proof": [prove(document, ISSUER_KEY), {"type": "Unknown"}]})
    assert proof_code(report) == (CheckOutcome.FAILED, "unsupported_proof_type")
    assert report.check("proof").message.startswith("proof 2 of 2:")


def chained() -> dict[str, Any]:
    """The issuer's proof (with an id, so that a chain can name it), then a witness's proof that follows it."""
    document = unsigned()
    first = _resigned(document, {"id": "urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544", **prove(document, ISSUER_KEY)})
    second = prove({**document, "proof": [first]}, WITNESS_KEY, previousProof=first["id"])
    return {**document, "proof": [first, second]}


def _resigned(document: dict[str, Any], proof: dict[str, Any], key: Ed25519SigningKey = ISSUER_KEY) -> dict[str, Any]:
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    data = hashlib.sha256(canonical_nquads(proof_options(document, options)).encode()).digest()
    data += hashlib.sha256(canonical_nquads(document).encode()).digest()
    return {**options, "proofValue": encode_base58btc(key.private_key.sign(data))}


async def test_a_previous_proof_chain_verifies() -> None:
    report = await verify(chained())
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert proof_code(report) == (CheckOutcome.PASSED, "signature_valid")


async def test_a_chain_whose_previous_proof_is_missing_fails() -> None:
    credential = chained()
    credential["proof"] = credential["proof"][1:]
    assert proof_code(await verify(credential)) == (CheckOutcome.FAILED, "previous_proof_missing")


async def test_a_chain_whose_previous_proof_was_replaced_fails() -> None:
    credential = chained()
    document = {k: v for k, v in credential.items() if k != "proof"}
    # a valid proof by the issuer, with the same id, but not the one the second proof signed over
    replacement = _resigned(document, {**credential["proof"][0], "created": "2026-03-01T00:00:00Z"}, ISSUER_KEY)
    credential["proof"][0] = replacement
    report = await verify(credential)
    assert proof_code(report) == (CheckOutcome.FAILED, "signature_invalid")
    assert report.check("proof").message.startswith("proof 2 of 2:")


async def test_a_malformed_previous_proof_fails() -> None:
    credential = chained()
    credential["proof"][1]["previousProof"] = {"id": "x"}
    assert proof_code(await verify(credential)) == (CheckOutcome.FAILED, "previous_proof_malformed")
