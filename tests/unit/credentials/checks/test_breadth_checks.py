"""The checks that make the verifier as broad as 1EdTech's validator, each passing and failing with its code:
warnings (`context_version`, `issuer_name`, `valid_from`, `status_entries`, `key_binding`'s
`issuer_not_resolvable`) never fail a credential; what the 1EdTech validator fails still fails."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.data_integrity import create_proof
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.report import Check, CheckOutcome, Outcome, Severity, VerificationReport
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.checker import BitstringStatusChecker
from rexvet_credentials.status.list_credential import status_entry
from rexvet_credentials.verify import verify_credential

from ..fakes import FakeFetcher, SteppingClock
from ..ob3_credentials import ob3_credential
from ..status.test_status_checker import proof_marker_verifier, signed_list

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
KEY = Ed25519SigningKey.generate()
FIRST_OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
LIST = "https://issuer.example/status/1"


async def verify(credential: dict[str, Any], **kwargs: Any) -> VerificationReport:
    if credential["issuer"]["id"] == KEY.controller:
        signed = sign_credential(credential, KEY)
    else:  # the signer refuses a key that is not the issuer's; a verifier must judge such credentials all the same
        proof = create_proof(credential, KEY.private_key, verification_method=KEY.verification_method)
        signed = {**credential, "proof": proof}
    return await verify_credential(json.dumps(signed).encode(), clock=CLOCK, **kwargs)


def first_context_credential(**dates: str) -> dict[str, Any]:
    """An OB 3.0.0 credential: VC 1.1 with the first OB context (which redefines terms VC 2.0 protects)."""
    contexts = [VC_V1, FIRST_OB_CONTEXT, "https://w3id.org/security/data-integrity/v2"]
    credential = ob3_credential(KEY.controller, **{"@context": contexts}, **dates)
    del credential["validFrom"], credential["name"]
    return credential


def outcome_of(check: Check) -> tuple[CheckOutcome, str, Severity]:
    return check.outcome, check.code, check.severity


def warned(code: str) -> tuple[CheckOutcome, str, Severity]:
    return CheckOutcome.FAILED, code, Severity.WARNING


def fine(code: str) -> tuple[CheckOutcome, str, Severity]:
    return CheckOutcome.PASSED, code, Severity.WARNING


async def test_current_context_passes_and_the_first_ob_context_is_a_warning() -> None:
    current = await verify(ob3_credential(KEY.controller))
    assert outcome_of(current.check("context_version")) == fine("current_context")
    legacy = await verify(first_context_credential(issuanceDate="2026-01-01T00:00:00Z"))
    assert outcome_of(legacy.check("context_version")) == warned("legacy_context")
    assert legacy.check("context_version").details["contexts"] == [VC_V1, FIRST_OB_CONTEXT]
    assert outcome_of(legacy.check("valid_from")) == warned("valid_from_missing")
    assert "issuanceDate instead" in legacy.check("valid_from").message
    assert legacy.outcome is Outcome.VERIFIED, legacy.to_dict()


async def test_no_valid_from_under_the_first_context_is_a_warning() -> None:
    report = await verify(first_context_credential())
    assert outcome_of(report.check("valid_from")) == warned("valid_from_missing")
    assert report.check("validity_period").outcome is CheckOutcome.PASSED
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


async def test_no_valid_from_under_a_later_context_still_fails() -> None:
    credential = ob3_credential(KEY.controller)
    del credential["validFrom"]
    report = await verify(credential)
    assert report.check("validity_period").code == "valid_from_missing"
    assert outcome_of(report.check("valid_from")) == warned("valid_from_missing")
    assert report.outcome is Outcome.FAILED
    present = await verify(ob3_credential(KEY.controller))
    assert outcome_of(present.check("valid_from")) == fine("valid_from_present")


async def test_an_issuer_without_a_name_is_a_warning() -> None:
    credential = ob3_credential(KEY.controller)
    del credential["issuer"]["name"]
    report = await verify(credential)
    assert outcome_of(report.check("issuer_name")) == warned("issuer_name_missing")
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    named = await verify(ob3_credential(KEY.controller))
    assert outcome_of(named.check("issuer_name")) == fine("issuer_named")


async def test_an_endorsement_credential_verifies() -> None:
    endorsement: dict[str, Any] = {
        "@context": [VC_V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:8a7c1a4e-6c52-4d1f-a3b5-0f8a1f6a2c31",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": KEY.controller, "type": ["Profile"], "name": "Chamber of Commerce"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Endorsement of the internationalisation ladder",
        "credentialSubject": {
            "id": "https://rexvet.example/achievements/intl-1",
            "type": ["EndorsementSubject"],
            "endorsementComment": "A ladder our members recognise.",
        },
    }
    report = await verify(endorsement)
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert "EndorsementCredential" in report.check("structure").message
    del endorsement["credentialSubject"]["id"]  # what is endorsed
    wrong = await verify(endorsement)
    assert wrong.check("structure").code == "structure_invalid"
    assert "credentialSubject.id" in wrong.check("structure").message


async def test_a_key_not_bound_to_a_resolvable_issuer_fails() -> None:
    report = await verify(ob3_credential("https://issuer.example/profile"))
    assert outcome_of(report.check("key_binding")) == (CheckOutcome.FAILED, "controller_mismatch", Severity.ERROR)
    assert report.outcome is Outcome.FAILED


async def test_a_key_for_an_issuer_id_that_names_no_document_is_a_named_warning() -> None:
    report = await verify(ob3_credential("urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164"))
    assert outcome_of(report.check("key_binding")) == warned("issuer_not_resolvable")
    assert report.check("proof").code == "signature_valid"
    assert report.outcome is Outcome.VERIFIED


def status_checker(*set_bits: int, declared: str = LIST) -> BitstringStatusChecker:
    fetcher = FakeFetcher(documents={LIST: signed_list(declared, "revocation", list(set_bits), issuer=KEY.controller)})
    return BitstringStatusChecker(fetcher, proof_marker_verifier, SteppingClock())


def with_entry(index: str | int) -> dict[str, Any]:
    entry = status_entry(LIST, 7, "revocation")
    entry["statusListIndex"] = index  # type: ignore[assignment]
    return ob3_credential(KEY.controller, credentialStatus=entry)


async def test_status_entries_as_specified_pass() -> None:
    report = await verify(with_entry("7"), status_checker=status_checker())
    assert outcome_of(report.check("status_entries")) == fine("status_entries_as_specified")
    assert report.outcome is Outcome.VERIFIED, report.to_dict()


async def test_a_numeric_status_list_index_is_read_with_a_warning() -> None:
    active = await verify(with_entry(7), status_checker=status_checker())
    assert outcome_of(active.check("status_entries")) == warned("status_list_index_number")
    assert active.check("structure").outcome is CheckOutcome.PASSED
    assert active.outcome is Outcome.VERIFIED, active.to_dict()
    revoked = await verify(with_entry(7), status_checker=status_checker(7))
    assert revoked.check("status").code == "status_revoked"  # the set bit is reported
    assert revoked.outcome is Outcome.FAILED


async def test_a_list_whose_id_disagrees_is_reported_and_its_bit_read() -> None:
    other = "https://issuer.example/status/older"
    active = await verify(with_entry("7"), status_checker=status_checker(declared=other))
    mismatch = active.check("status_entries")
    assert outcome_of(mismatch) == warned("status_list_id_mismatch")
    assert mismatch.details["listId"] == other
    assert active.check("status").code == "status_active"
    revoked = await verify(with_entry("7"), status_checker=status_checker(7, declared=other))
    assert revoked.check("status").code == "status_revoked"
    assert revoked.outcome is Outcome.FAILED
