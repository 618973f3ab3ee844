"""Every shared 1EdTech file (tests/conformance/1edtech-validator-ob30, ob-spec-test-vectors), the verdict rexvet
gives it offline (no host resolves here, as on CI), the codes of the checks that did not pass, and why.

One row per file: (file, verdict, {check id: code} of every check that is not `passed`, reason). A row changes
only with a deliberate change of what rexvet accepts; test_1edtech_validator_files.py and
test_1edtech_conformance.py show the same files verified once the issuer's document is served.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest

from rexvet_credentials.baking.presented import verify_presented
from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.report import CheckOutcome, Outcome

from .test_1edtech_conformance import OfflineFetcher

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
NO_REGISTRY = {"registered_issuer": "no_registry"}  # no consortium registry is given: a warning, not checked
UNREACHABLE_KEY = {"proof": "key_resolution_unavailable", "key_binding": "key_resolution_unavailable"}
SKIPPED = {
    check: "skipped"
    for check in (
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
}


class Row(NamedTuple):
    file: str
    verdict: Outcome
    not_passed: dict[str, str]
    reason: str


ROWS = [
    Row(
        "1edtech-validator-ob30/simple.json",
        Outcome.INCOMPLETE,
        {**UNREACHABLE_KEY, **NO_REGISTRY},
        "eddsa-rdfc-2022 by https://example.com/issuers/876543#z6Mk...: a key written after the issuer's URL is "
        "trusted only when the issuer's document lists it, and that document cannot be fetched offline",
    ),
    Row(
        "1edtech-validator-ob30/simple-did-web-method.json",
        Outcome.INCOMPLETE,
        {**UNREACHABLE_KEY, **NO_REGISTRY},
        "the same credential under a did:web key: the DID document cannot be fetched offline",
    ),
    Row(
        "1edtech-validator-ob30/simple-did-key-method.json",
        Outcome.VERIFIED,
        {"key_binding": "issuer_not_resolvable", **NO_REGISTRY},
        "a valid signature by a did:key for the issuer urn:uuid:...: an id that names no document cannot be bound "
        "to a key, which is the named warning (1EdTech: valid)",
    ),
    Row(
        "1edtech-validator-ob30/complete.json",
        Outcome.INCOMPLETE,
        {**UNREACHABLE_KEY, "status": "status_list_unreachable", **NO_REGISTRY},
        "every OB 3.0 property: its key and its 1EdTechRevocationList are at hosts that do not resolve offline",
    ),
    Row(
        "1edtech-validator-ob30/simple-json.png",
        Outcome.INCOMPLETE,
        {**UNREACHABLE_KEY, **NO_REGISTRY},
        "simple.json baked in a PNG: the same unreachable issuer document",
    ),
    Row(
        "1edtech-validator-ob30/simple-json.svg",
        Outcome.INCOMPLETE,
        {**UNREACHABLE_KEY, **NO_REGISTRY},
        "simple.json baked in an SVG: the same unreachable issuer document",
    ),
    Row(
        "1edtech-validator-ob30/simple-jwt.png",
        Outcome.INCOMPLETE,
        {"key_binding": "key_resolution_unavailable", **NO_REGISTRY},
        "a VC-JWT whose RS256 signature verifies with the key of its `jwk` header; that key must also be one of "
        "the issuer's, whose document cannot be fetched offline",
    ),
    Row(
        "1edtech-validator-ob30/simple-jwt.svg",
        Outcome.INCOMPLETE,
        {"key_binding": "key_resolution_unavailable", **NO_REGISTRY},
        "the same VC-JWT baked in an SVG",
    ),
    Row(
        "1edtech-validator-ob30/simple.jwt",
        Outcome.FAILED,
        {
            "contexts": "unknown_context",
            "structure": "structure_invalid",
            "context_version": "legacy_context",
            **UNREACHABLE_KEY,
            "valid_from": "valid_from_missing",
            **NO_REGISTRY,
        },
        "the pre-release VC-JWT form: VC 1.1 (a legacy context, and issuanceDate instead of validFrom: warned) with "
        "the unversioned draft OB context of imsglobal.github.io, which is no published OB 3.0 context and is not "
        "pinned (contexts are never fetched)",
    ),
    Row(
        "ob-spec-test-vectors/document-canon.txt",
        Outcome.FAILED,
        {"parse": "not_json", **SKIPPED},
        "canonical N-Quads of the OB 3.0 test vector, not a credential; test_ob_vectors.py checks that rexvet's "
        "canonicaliser produces exactly these lines",
    ),
    Row(
        "ob-spec-test-vectors/proof-canon.txt",
        Outcome.FAILED,
        {"parse": "not_json", **SKIPPED},
        "canonical N-Quads of the test vector's proof options (test_ob_vectors.py, as above)",
    ),
]


def test_every_shared_1edtech_file_has_a_row(conformance_dir: Path) -> None:
    files = {
        f"{folder}/{path.name}"
        for folder in ("1edtech-validator-ob30", "ob-spec-test-vectors")
        for path in (conformance_dir / folder).iterdir()
    }
    assert files == {row.file for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=[row.file for row in ROWS])
async def test_what_rexvet_reports_for_each_file(conformance_dir: Path, row: Row) -> None:
    ports = network_ports(CLOCK, fetcher=OfflineFetcher())
    report = await verify_presented(
        (conformance_dir / row.file).read_bytes(),
        clock=CLOCK,
        key_resolver=ports.key_resolver,
        status_checker=ports.status_checker,
    )
    not_passed = {c.id: c.code for c in report.checks if c.outcome is not CheckOutcome.PASSED}
    assert (report.outcome, not_passed) == (row.verdict, row.not_passed), row.reason
