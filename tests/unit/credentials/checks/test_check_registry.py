"""The registry of verification checks: a check added to a registry instance runs in both verifiers in its place,
sees the checks before it, is skipped with its severity when the input is unreadable, and decides a status list's
proof when its entry says so. The production registry is not changed here."""

from __future__ import annotations

import json
import re
import types
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.baking.presented import verify_presented
from rexvet_credentials.checks import VERIFICATION_CHECKS, CheckInput, CheckRegistry, VerificationCheck
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.did_key import CompositeKeyResolver
from rexvet_credentials.jwt.keys import JwtSigningKey
from rexvet_credentials.jwt.sign import sign_vc_jwt
from rexvet_credentials.jwt.verify import verify_vc_jwt
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.ports import ResolvedKey
from rexvet_credentials.report import Check, CheckOutcome, Outcome, Severity, failed, passed
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status_list_proof import list_proof_verifier
from rexvet_credentials.verify import verify_credential

from ..baking.test_baking import tiny_png
from ..ob3_credentials import ob3_credential

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
ISSUER = "did:web:issuer.example"
KEY = Ed25519SigningKey.generate()
JWT_KEY = JwtSigningKey(KEY.private_key, KEY.verification_method, KEY.controller)


README = Path(__file__).resolve().parents[4] / "libs" / "credentials" / "README.md"


def readme_example() -> VerificationCheck:
    """The credentials README's example check module (`checks/expiry_date.py` there), run as written."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    module = types.ModuleType("expiry_date")
    exec(next(b for b in blocks if "EXPIRY_DATE_CHECK = " in b), module.__dict__)
    check: VerificationCheck = module.EXPIRY_DATE_CHECK
    return check


EXPIRY_DATE = readme_example()


async def _saw_the_signature(subject: CheckInput) -> Check:
    # an async check (as one waiting for a port would be) that reads a check decided before it
    proof = subject.results["proof"]
    if proof.outcome is CheckOutcome.PASSED:
        return passed("saw_signature", "seen", f"the proof check had passed ({proof.code})")
    return failed("saw_signature", "not_seen", f"the proof check had not passed ({proof.code})")


SAW_SIGNATURE = VerificationCheck(
    id="saw_signature", title="Saw the signature", failure="(a test check)", run=_saw_the_signature
)


def with_checks(*added: tuple[str, VerificationCheck]) -> CheckRegistry:
    """The production registry with each check inserted after the one named."""
    checks = list(VERIFICATION_CHECKS)
    for after, check in added:
        checks.insert([c.id for c in checks].index(after) + 1, check)
    return CheckRegistry(checks)


def signed_json(credential: Mapping[str, Any] | None = None) -> bytes:
    return json.dumps(sign_credential(credential or ob3_credential(KEY.controller), KEY)).encode()


async def test_an_added_check_runs_in_its_place_in_both_formats() -> None:
    registry = with_checks(("proof", SAW_SIGNATURE), ("validity_period", EXPIRY_DATE))
    data_integrity = await verify_credential(signed_json(), clock=CLOCK, checks=registry)
    vc_jwt = await verify_vc_jwt(sign_vc_jwt(ob3_credential(KEY.controller), JWT_KEY), clock=CLOCK, checks=registry)

    expected = [
        "parse",
        "contexts",
        "structure",
        "context_version",
        "issuer_name",
        "proof",
        "saw_signature",
        "key_binding",
        "status",
        "status_entries",
        "validity_period",
        "expiry_date",
        "valid_from",
        "registered_issuer",
    ]
    assert [c.id for c in data_integrity.checks] == expected
    assert [c.id for c in vc_jwt.checks] == [*expected[:5], "claims", *expected[5:]]
    for report in (data_integrity, vc_jwt):
        assert report.check("saw_signature").code == "seen"
        # the registry's severity, whatever the function returned: a warning does not fail the credential
        never = report.check("expiry_date")
        assert (never.outcome, never.code, never.severity) == (CheckOutcome.FAILED, "never_expires", Severity.WARNING)
        assert report.outcome is Outcome.VERIFIED
        assert never in report.warnings


async def test_an_added_check_sees_a_failed_signature() -> None:
    credential = json.loads(signed_json())
    credential["name"] = "Changed after signing"
    report = await verify_credential(json.dumps(credential), clock=CLOCK, checks=with_checks(("proof", SAW_SIGNATURE)))
    assert report.check("proof").code == "signature_invalid"
    assert report.check("saw_signature").code == "not_seen"
    assert report.outcome is Outcome.FAILED


async def test_an_added_check_passes_when_the_credential_expires() -> None:
    credential = ob3_credential(KEY.controller, validUntil="2030-01-01T00:00:00Z")
    report = await verify_credential(
        signed_json(credential), clock=CLOCK, checks=with_checks(("validity_period", EXPIRY_DATE))
    )
    assert report.check("expiry_date").code == "expires"
    assert report.warnings == (report.check("registered_issuer"),)


@pytest.mark.parametrize("unreadable", [b"{not json", b"eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln", tiny_png()])
async def test_an_added_check_is_skipped_with_its_severity_when_the_input_is_unreadable(unreadable: bytes) -> None:
    report = await verify_presented(unreadable, clock=CLOCK, checks=with_checks(("validity_period", EXPIRY_DATE)))
    assert report.outcome is Outcome.FAILED
    skipped = report.check("expiry_date")
    assert (skipped.outcome, skipped.code, skipped.severity) == (CheckOutcome.NOT_CHECKED, "skipped", Severity.WARNING)


async def test_an_unreadable_image_reports_its_checks_as_unreadable_json_does() -> None:
    # before the registry, the image's report called registered_issuer an error and JSON's a warning
    image = await verify_presented(tiny_png(), clock=CLOCK)
    text = await verify_presented(b"{not json", clock=CLOCK)
    assert [c.to_dict() for c in image.checks[1:]] == [c.to_dict() for c in text.checks[1:]]
    assert image.check("registered_issuer").severity is Severity.WARNING


async def test_a_list_proof_check_decides_a_status_list_credential() -> None:
    production = list_proof_verifier(key_resolver=CompositeKeyResolver(), clock=CLOCK)
    plain_vc = sign_credential(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": KEY.controller,
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "urn:example:list"},
        },
        KEY,
    )
    assert (await production(plain_vc)).valid

    must_expire = replace(EXPIRY_DATE, severity=Severity.ERROR, list_proof=True)
    strict = list_proof_verifier(
        key_resolver=CompositeKeyResolver(), clock=CLOCK, checks=with_checks(("proof", must_expire))
    )
    verdict = await strict(plain_vc)
    assert not verdict.valid and verdict.definite
    assert verdict.reason.startswith("never_expires:")


def test_a_registry_refuses_duplicate_ids_and_a_first_check_other_than_parse() -> None:
    with pytest.raises(ValueError, match="registered twice: status"):
        CheckRegistry([*VERIFICATION_CHECKS, VERIFICATION_CHECKS["status"]])
    with pytest.raises(ValueError, match="first check must be 'parse'"):
        CheckRegistry([EXPIRY_DATE, *VERIFICATION_CHECKS])


def test_a_status_lists_own_proof_is_decided_by_the_checks_it_always_was() -> None:
    # not its own status (that would recurse) and not the issuer registry (a warning)
    assert VERIFICATION_CHECKS.data_integrity.list_proof_ids == (
        "parse",
        "contexts",
        "structure",
        "proof",
        "key_binding",
        "validity_period",
    )


class _OneKey:
    """A key resolver (our port) that answers every method with the same key, controlled and listed as given."""

    def __init__(self, controller: str, purposes: frozenset[str] | None) -> None:
        self.controller, self.purposes = controller, purposes

    async def resolve(self, method: str) -> ResolvedKey:
        return ResolvedKey(method, self.controller, KEY.private_key.public_key(), purposes=self.purposes)


@pytest.mark.parametrize(
    ("controller", "purposes", "code"),
    [
        ("did:web:someone-else.example", frozenset({"assertionMethod"}), "controller_mismatch"),
        (ISSUER, frozenset({"authentication"}), "key_not_for_assertion"),
        (ISSUER, frozenset({"assertionMethod"}), "key_bound_to_issuer"),
    ],
)
async def test_key_binding_is_the_same_check_in_both_formats(
    controller: str, purposes: frozenset[str], code: str
) -> None:
    method = f"{ISSUER}#key-1"
    signer = Ed25519SigningKey(KEY.private_key, method, ISSUER)
    resolver = _OneKey(controller, purposes)
    data_integrity = await verify_credential(
        json.dumps(sign_credential(ob3_credential(ISSUER), signer)), clock=CLOCK, key_resolver=resolver
    )
    vc_jwt = await verify_vc_jwt(
        sign_vc_jwt(ob3_credential(ISSUER), JwtSigningKey(KEY.private_key, method, ISSUER)),
        clock=CLOCK,
        key_resolver=resolver,
    )
    assert data_integrity.check("proof").code == vc_jwt.check("proof").code == "signature_valid"
    assert data_integrity.check("key_binding").code == code
    assert data_integrity.check("key_binding").to_dict() == vc_jwt.check("key_binding").to_dict()
