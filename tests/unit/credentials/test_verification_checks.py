"""Each check of the verification report, passing and failing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pyld import jsonld

from credentials.helpers import FakeStatusChecker, encode, mutated
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.data_integrity import proof_options
from rexvet_credentials.document_loader import DEFAULT_LOADER
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.multikey import encode_base58btc
from rexvet_credentials.ports import StatusOutcome, TrustedIssuer
from rexvet_credentials.report import CHECK_IDS, CheckOutcome, Outcome
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.trusted_issuers import StaticTrustedIssuers
from rexvet_credentials.verification_cache import VerificationCache
from rexvet_credentials.verify import verify_credential

pytestmark = pytest.mark.unit


def _with_extensions(credential: dict[str, Any]) -> dict[str, Any]:
    # 1EdTech* types are defined only by the OB extensions context.
    return mutated(
        credential, lambda c: c["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    )


async def test_1edtech_type_without_the_extensions_context_is_undefined(
    unsigned: dict[str, Any], issuer_key: Ed25519SigningKey
) -> None:
    from rexvet_credentials.errors import SigningError

    entry = {"id": "https://status.rexvet.example/revocations", "type": "1EdTechRevocationList"}
    with pytest.raises(SigningError) as info:
        sign_credential(mutated(unsigned, lambda c: c.update(credentialStatus=entry)), issuer_key)
    assert info.value.code == "undefined_term"
    assert "1EdTechRevocationList" in info.value.message


async def _verify(document: Any, clock: FixedClock, **kwargs: Any) -> Any:
    data = document if isinstance(document, bytes | str) else encode(document)
    return await verify_credential(data, clock=clock, **kwargs)


async def test_a_good_credential_passes_every_check(signed: dict[str, Any], clock: FixedClock) -> None:
    report = await _verify(signed, clock, trusted_issuers=StaticTrustedIssuers([signed["issuer"]["id"]]))
    assert report.outcome is Outcome.VERIFIED
    assert [(c.id, c.outcome) for c in report.checks] == [
        (check_id, CheckOutcome.PASSED)
        for check_id in (
            "parse",
            "contexts",
            "structure",
            "context_version",
            "issuer_name",
            "proof",
            "key_binding",
            "status",
            "status_entries",
            "validity_period",
            "valid_from",
            "registered_issuer",
        )
    ]


async def test_tampered_field_fails_the_signature(signed: dict[str, Any], clock: FixedClock) -> None:
    tampered = mutated(signed, lambda c: c["credentialSubject"]["achievement"].update(name="Astronaut"))
    report = await _verify(tampered, clock)
    assert report.outcome is Outcome.FAILED
    assert report.check("proof").code == "signature_invalid"


async def test_added_undefined_property_fails_in_safe_mode(signed: dict[str, Any], clock: FixedClock) -> None:
    # A plain JSON-LD processor drops `favouriteColour`, so the signature alone would still verify.
    added = mutated(signed, lambda c: c["credentialSubject"].update(favouriteColour="green"))
    report = await _verify(added, clock)
    assert report.outcome is Outcome.FAILED
    assert report.check("contexts").code == "undefined_term"
    assert "favouriteColour" in report.check("contexts").message


async def test_undefined_terms_context_declares_terms_and_the_report_names_them(
    unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock
) -> None:
    credential = mutated(
        unsigned,
        lambda c: (
            c["@context"].append("https://www.w3.org/ns/credentials/undefined-terms/v2"),
            c["credentialSubject"].update(favouriteColour="green"),
        ),
    )
    report = await _verify(sign_credential(credential, issuer_key), clock)
    assert report.outcome is Outcome.VERIFIED
    assert report.undefined_terms == ("favouriteColour",)
    assert report.check("contexts").code == "contexts_pinned_with_undefined_terms"


async def test_control_characters_are_signed_and_verified_with_rdfc_escaping(
    unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock
) -> None:
    name = "Coach\u000b\u0008\u001f\u007f level\t2"
    credential = mutated(unsigned, lambda c: c.update(name=name))
    signed = sign_credential(credential, issuer_key)
    assert (await _verify(signed, clock)).outcome is Outcome.VERIFIED

    # A signer that used URDNA2015-style serialisation (raw control bytes, as pyld's N-Quads writer does)
    # signed other bytes: rexvet must not accept that signature.
    def urdna2015_hash(document: dict[str, Any]) -> bytes:
        import hashlib

        options = {
            "documentLoader": DEFAULT_LOADER.pyld_loader,
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
        }
        return hashlib.sha256(jsonld.normalize(document, options).encode()).digest()

    proof = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    legacy_bytes = urdna2015_hash(proof_options(signed, proof)) + urdna2015_hash(unsecured)
    legacy = {
        **unsecured,
        "proof": {**proof, "proofValue": encode_base58btc(issuer_key.private_key.sign(legacy_bytes))},
    }
    report = await _verify(legacy, clock)
    assert report.check("proof").code == "signature_invalid"


async def test_wrong_key_fails(
    unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, other_key: Ed25519SigningKey, clock: FixedClock
) -> None:
    signed = sign_credential(unsigned, issuer_key)
    # The proof names the issuer's key but was made with another one.
    forged_key = Ed25519SigningKey(other_key.private_key, issuer_key.verification_method, issuer_key.controller)
    forged = sign_credential(unsigned, forged_key)
    assert forged["proof"]["verificationMethod"] == signed["proof"]["verificationMethod"]
    report = await _verify(forged, clock)
    assert report.check("proof").code == "signature_invalid"
    assert report.outcome is Outcome.FAILED


async def test_key_whose_controller_is_not_the_issuer_fails_the_binding(
    unsigned: dict[str, Any], other_key: Ed25519SigningKey, clock: FixedClock
) -> None:
    impostor = Ed25519SigningKey(other_key.private_key, other_key.verification_method, unsigned["issuer"]["id"])
    signed = sign_credential(unsigned, impostor)  # signer lies about the controller; the did:key does not
    report = await _verify(signed, clock)
    assert report.check("proof").code == "signature_valid"
    assert report.check("key_binding").code == "controller_mismatch"
    assert report.outcome is Outcome.FAILED


async def test_expired(signed: dict[str, Any]) -> None:
    report = await _verify(signed, FixedClock(datetime(2030, 1, 1, tzinfo=UTC)))
    assert report.check("validity_period").code == "expired"
    assert report.outcome is Outcome.FAILED


async def test_not_yet_valid(signed: dict[str, Any]) -> None:
    report = await _verify(signed, FixedClock(datetime(2025, 1, 1, tzinfo=UTC)))
    assert report.check("validity_period").code == "not_yet_valid"
    assert report.outcome is Outcome.FAILED


async def test_clock_skew_allows_a_few_minutes(signed: dict[str, Any]) -> None:
    report = await _verify(signed, FixedClock(datetime(2026, 1, 15, 8, 57, tzinfo=UTC)))
    assert report.check("validity_period").outcome is CheckOutcome.PASSED


async def test_unknown_context_fails_naming_the_url(signed: dict[str, Any], clock: FixedClock) -> None:
    changed = mutated(signed, lambda c: c["@context"].append("https://evil.example/ctx.json"))
    report = await _verify(changed, clock)
    assert report.check("contexts").code == "unknown_context"
    assert "https://evil.example/ctx.json" in report.check("contexts").message
    assert report.outcome is Outcome.FAILED


async def test_missing_proof(unsigned: dict[str, Any], clock: FixedClock) -> None:
    report = await _verify(unsigned, clock)
    assert report.check("proof").code == "proof_missing"
    assert report.outcome is Outcome.FAILED


@pytest.mark.parametrize(
    ("iri", "code"),
    [
        ("https://badges.example/a chievement", "malformed_iri"),
        ("https://badges.example/a>b", "malformed_iri"),
        ("https://badges.example/a\nb", "malformed_iri"),
        ("achievements/42", "relative_iri"),
    ],
)
async def test_malformed_or_relative_iri(signed: dict[str, Any], clock: FixedClock, iri: str, code: str) -> None:
    changed = mutated(signed, lambda c: c["credentialSubject"]["achievement"].update(id=iri))
    report = await _verify(changed, clock)
    assert report.check("structure").code == code
    assert report.outcome is Outcome.FAILED


async def test_wrong_proof_purpose(unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock) -> None:
    signed = sign_credential(unsigned, issuer_key, proof_purpose="authentication")
    report = await _verify(signed, clock)
    assert report.check("proof").code == "wrong_proof_purpose"


async def test_malformed_created(signed: dict[str, Any], clock: FixedClock) -> None:
    changed = mutated(signed, lambda c: c["proof"].update(created="yesterday"))
    report = await _verify(changed, clock)
    assert report.check("proof").code == "proof_created_malformed"


async def test_structure_failure_names_the_missing_property(signed: dict[str, Any], clock: FixedClock) -> None:
    changed = mutated(signed, lambda c: c["credentialSubject"]["achievement"].pop("criteria"))
    report = await _verify(changed, clock)
    assert report.check("structure").code == "structure_invalid"
    assert "credentialSubject.achievement.criteria" in report.check("structure").message


@pytest.mark.parametrize(
    ("outcome", "check_outcome", "overall"),
    [
        (StatusOutcome.ACTIVE, CheckOutcome.PASSED, Outcome.VERIFIED),
        (StatusOutcome.REVOKED, CheckOutcome.FAILED, Outcome.FAILED),
        (StatusOutcome.SUSPENDED, CheckOutcome.FAILED, Outcome.FAILED),
        (StatusOutcome.COULD_NOT_CHECK, CheckOutcome.NOT_CHECKED, Outcome.INCOMPLETE),
    ],
)
async def test_status(
    unsigned: dict[str, Any],
    issuer_key: Ed25519SigningKey,
    clock: FixedClock,
    outcome: StatusOutcome,
    check_outcome: CheckOutcome,
    overall: Outcome,
) -> None:
    entry = {
        "id": "https://status.rexvet.example/lists/1#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": "https://status.rexvet.example/lists/1",
    }
    signed = sign_credential(mutated(unsigned, lambda c: c.update(credentialStatus=entry)), issuer_key)
    checker = FakeStatusChecker(outcome)
    report = await _verify(signed, clock, status_checker=checker)
    assert checker.calls == 1
    assert report.check("status").outcome is check_outcome
    assert report.outcome is overall


async def test_status_entry_without_a_checker_is_incomplete(
    unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock
) -> None:
    entry = {"id": "https://status.rexvet.example/revocations", "type": "1EdTechRevocationList"}
    signed = sign_credential(
        _with_extensions(mutated(unsigned, lambda c: c.update(credentialStatus=entry))), issuer_key
    )
    report = await _verify(signed, clock)
    assert report.check("status").code == "status_checker_unavailable"
    assert report.outcome is Outcome.INCOMPLETE


async def test_unregistered_issuer_is_a_warning_not_a_failure(signed: dict[str, Any], clock: FixedClock) -> None:
    report = await _verify(signed, clock, trusted_issuers=StaticTrustedIssuers([TrustedIssuer("did:web:other")]))
    registry = report.check("registered_issuer")
    assert registry.code == "issuer_not_registered"
    assert registry.outcome is CheckOutcome.FAILED
    assert report.warnings == (registry,)
    assert report.outcome is Outcome.VERIFIED


async def test_cached_reverification_still_applies_clock_and_status(
    unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock
) -> None:
    entry = {"id": "https://status.rexvet.example/revocations", "type": "1EdTechRevocationList"}
    data = encode(
        sign_credential(_with_extensions(mutated(unsigned, lambda c: c.update(credentialStatus=entry))), issuer_key)
    )
    cache = VerificationCache()
    active = FakeStatusChecker(StatusOutcome.ACTIVE)
    first = await verify_credential(data, clock=clock, status_checker=active, cache=cache)
    assert first.outcome is Outcome.VERIFIED
    assert len(cache) == 1

    revoked = FakeStatusChecker(StatusOutcome.REVOKED)
    second = await verify_credential(data, clock=clock, status_checker=revoked, cache=cache)
    assert revoked.calls == 1
    assert second.check("status").outcome is CheckOutcome.FAILED

    later = await verify_credential(
        data, clock=FixedClock(datetime(2031, 1, 1, tzinfo=UTC)), status_checker=active, cache=cache
    )
    assert later.check("validity_period").code == "expired"
    assert len(cache) == 1


async def test_cache_never_confuses_different_bytes(signed: dict[str, Any], clock: FixedClock) -> None:
    cache = VerificationCache()
    good = await verify_credential(encode(signed), clock=clock, cache=cache)
    tampered = mutated(signed, lambda c: c.update(name="Other"))
    bad = await verify_credential(encode(tampered), clock=clock, cache=cache)
    assert good.outcome is Outcome.VERIFIED
    assert bad.check("proof").code == "signature_invalid"


def test_report_serialises_every_check(signed: dict[str, Any], clock: FixedClock) -> None:
    from rexvet_credentials.verify import verify_credential_sync

    out = verify_credential_sync(encode(signed), clock=clock).to_dict()
    assert out["outcome"] == "verified"
    assert [c["id"] for c in out["checks"]] == list(CHECK_IDS)
    assert all({"id", "outcome", "code", "message"} <= set(c) for c in out["checks"])


async def test_expired_proof(unsigned: dict[str, Any], issuer_key: Ed25519SigningKey, clock: FixedClock) -> None:
    from rexvet_credentials.data_integrity import hash_data

    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-01-15T09:00:00Z",
        "expires": "2026-02-01T00:00:00Z",
        "verificationMethod": issuer_key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    value = encode_base58btc(issuer_key.private_key.sign(hash_data(unsigned, proof)))
    signed = {**unsigned, "proof": {**proof, "proofValue": value}}
    before = await _verify(signed, FixedClock(datetime(2026, 1, 20, tzinfo=UTC)))
    assert before.outcome is Outcome.VERIFIED
    after = await _verify(signed, clock)
    assert after.check("proof").code == "proof_expired"
    assert after.outcome is Outcome.FAILED
