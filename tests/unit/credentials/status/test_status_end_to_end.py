"""Status end to end: signed credentials and signed status lists served over HTTP on 127.0.0.1, fetched through
the guarded fetcher, the list's proof verified by the core's verifier, the outcome in the verification report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from rexvet_credentials.clocks import FixedClock
from rexvet_credentials.fetch_policy import FetchPolicy
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.report import CheckOutcome, Outcome, VerificationReport
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.bitstring import Bitstring
from rexvet_credentials.status.list_credential import build_list_credential, status_entry, with_bitstring
from rexvet_credentials.verify import verify_credential

from ..ob3_credentials import ob3_credential
from ..scripted_server import Route, ScriptedServer

pytestmark = pytest.mark.contract

CLOCK = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
KEY = Ed25519SigningKey.generate()


def signed_list(url: str, purpose: str, set_bits: list[int], key: Ed25519SigningKey = KEY) -> dict[str, Any]:
    bits = Bitstring()
    for index in set_bits:
        bits.set(index)
    unsigned = build_list_credential(
        list_url=url,
        issuer=key.controller,
        purpose=purpose,
        bitstring=bits,
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return sign_credential(unsigned, KEY if key is KEY else key)


def serve(server: ScriptedServer, path: str, document: dict[str, Any]) -> str:
    server.routes[path] = Route(body=json.dumps(document).encode(), headers={"Content-Type": "application/vc+ld+json"})
    return server.url(path)


def credential_with_status(*entries: dict[str, str]) -> dict[str, Any]:
    status: Any = entries[0] if len(entries) == 1 else list(entries)
    return sign_credential(ob3_credential(KEY.controller, credentialStatus=status), KEY)


async def verify(credential: dict[str, Any]) -> VerificationReport:
    ports = network_ports(CLOCK, policy=FetchPolicy.for_local_tests())
    return await verify_credential(
        json.dumps(credential).encode(),
        clock=CLOCK,
        key_resolver=ports.key_resolver,
        status_checker=ports.status_checker,
    )


def status_of(report: VerificationReport) -> tuple[CheckOutcome, str]:
    check = report.check("status")
    return check.outcome, check.code


async def test_active_credential_is_verified(http_server: ScriptedServer) -> None:
    url = serve(http_server, "/status/1", signed_list(http_server.url("/status/1"), "revocation", [3]))
    report = await verify(credential_with_status(status_entry(url, 4, "revocation")))
    assert report.outcome is Outcome.VERIFIED, report.to_dict()
    assert status_of(report) == (CheckOutcome.PASSED, "status_active")


async def test_revoked(http_server: ScriptedServer) -> None:
    url = serve(http_server, "/status/1", signed_list(http_server.url("/status/1"), "revocation", [3]))
    report = await verify(credential_with_status(status_entry(url, 3, "revocation")))
    assert report.outcome is Outcome.FAILED
    assert status_of(report) == (CheckOutcome.FAILED, "status_revoked")


async def test_suspended(http_server: ScriptedServer) -> None:
    revocations = serve(http_server, "/status/r", signed_list(http_server.url("/status/r"), "revocation", []))
    suspensions = serve(http_server, "/status/s", signed_list(http_server.url("/status/s"), "suspension", [77]))
    credential = credential_with_status(
        status_entry(revocations, 77, "revocation"), status_entry(suspensions, 77, "suspension")
    )
    report = await verify(credential)
    assert report.outcome is Outcome.FAILED
    assert status_of(report) == (CheckOutcome.FAILED, "status_suspended")


async def test_list_that_cannot_be_fetched_is_incomplete(http_server: ScriptedServer) -> None:
    report = await verify(credential_with_status(status_entry(http_server.url("/status/gone"), 3, "revocation")))
    assert report.outcome is Outcome.INCOMPLETE
    assert status_of(report) == (CheckOutcome.NOT_CHECKED, "status_list_unreachable")


async def test_list_changed_after_signing_is_incomplete(http_server: ScriptedServer) -> None:
    url = http_server.url("/status/1")
    genuine = signed_list(url, "revocation", [])
    # Someone flips bit 3 on the server without the issuer's key: the list's own proof no longer verifies.
    forged_bits = Bitstring()
    forged_bits.set(3)
    forged = {**with_bitstring(genuine, forged_bits), "proof": genuine["proof"]}
    serve(http_server, "/status/1", forged)
    report = await verify(credential_with_status(status_entry(url, 3, "revocation")))
    assert report.outcome is Outcome.INCOMPLETE
    assert status_of(report) == (CheckOutcome.NOT_CHECKED, "status_list_proof_invalid")


async def test_list_signed_by_someone_else_is_incomplete(http_server: ScriptedServer) -> None:
    url = http_server.url("/status/1")
    intruder = Ed25519SigningKey.generate()
    unsigned = build_list_credential(
        list_url=url, issuer=intruder.controller, purpose="revocation", valid_from=datetime(2026, 1, 1, tzinfo=UTC)
    )
    serve(http_server, "/status/1", sign_credential(unsigned, intruder))
    report = await verify(credential_with_status(status_entry(url, 3, "revocation")))
    assert report.outcome is Outcome.INCOMPLETE
    assert status_of(report) == (CheckOutcome.NOT_CHECKED, "status_list_issuer_mismatch")


async def test_truncated_list_is_incomplete(http_server: ScriptedServer) -> None:
    url = http_server.url("/status/1")
    unsigned = build_list_credential(
        list_url=url, issuer=KEY.controller, purpose="revocation", valid_from=datetime(2026, 1, 1, tzinfo=UTC)
    )
    unsigned["credentialSubject"]["encodedList"] = unsigned["credentialSubject"]["encodedList"][:30]
    serve(http_server, "/status/1", sign_credential(unsigned, KEY))
    report = await verify(credential_with_status(status_entry(url, 3, "revocation")))
    assert report.outcome is Outcome.INCOMPLETE
    assert status_of(report) == (CheckOutcome.NOT_CHECKED, "status_list_malformed")


async def test_list_redirecting_to_a_private_address_is_incomplete(http_server: ScriptedServer) -> None:
    http_server.routes["/status/1"] = Route(status=302, headers={"Location": "http://169.254.169.254/latest/"})
    report = await verify(credential_with_status(status_entry(http_server.url("/status/1"), 3, "revocation")))
    assert report.outcome is Outcome.INCOMPLETE
    check = report.check("status")
    assert check.code == "status_list_unreachable"
    assert check.details["fetch_code"] == "fetch_refused_metadata_address"
