"""The suspension list beside a rexvet revocation list: read for the entries that point at such a list, and only
for those; unreadable, it leaves the status unchecked, never active."""

from __future__ import annotations

from typing import Any

import pytest

from rexvet_credentials.ports import StatusOutcome
from rexvet_credentials.status.checker import BitstringStatusChecker
from rexvet_credentials.status.list_credential import status_entry
from rexvet_credentials.status.suspension_sibling import SuspensionSiblingChecker, suspension_sibling

from ..fakes import FakeFetcher, SteppingClock
from .test_status_checker import ISSUER, credential_with, proof_marker_verifier, signed_list

pytestmark = pytest.mark.unit

LISTS = "https://issuer.example/v1/issuers/omnia/status-lists/3"
REVOCATION, SUSPENSION = f"{LISTS}/revocation", f"{LISTS}/suspension"


def checker(documents: dict[str, Any]) -> SuspensionSiblingChecker:
    return SuspensionSiblingChecker(
        BitstringStatusChecker(FakeFetcher(documents=documents), proof_marker_verifier, SteppingClock())
    )


def lists(revoked: list[int], suspended: list[int] | None) -> dict[str, Any]:
    documents = {REVOCATION: signed_list(REVOCATION, "revocation", revoked)}
    if suspended is not None:
        documents[SUSPENSION] = signed_list(SUSPENSION, "suspension", suspended)
    return documents


async def outcome(documents: dict[str, Any], entry: dict[str, Any] | None = None) -> tuple[StatusOutcome, str]:
    entry = entry or status_entry(REVOCATION, 9, "revocation")
    result = await checker(documents).check(credential_with(entry), entry)
    return result.outcome, result.code


def test_the_sibling_is_the_suspension_list_of_the_same_number_and_index() -> None:
    sibling = suspension_sibling(status_entry(REVOCATION, 9, "revocation"))
    assert sibling is not None
    assert (sibling["statusListCredential"], sibling["statusListIndex"], sibling["statusPurpose"]) == (
        SUSPENSION,
        "9",
        "suspension",
    )
    profile_list = "https://issuer.example/v1/issuers/omnia/status/3/revocation"
    assert suspension_sibling(status_entry(profile_list, 9, "revocation")) is not None
    assert suspension_sibling(status_entry("https://other.example/lists/3", 9, "revocation")) is None
    assert suspension_sibling(status_entry(SUSPENSION, 9, "suspension")) is None


async def test_a_suspended_badge_is_suspended() -> None:
    assert await outcome(lists([], [9])) == (StatusOutcome.SUSPENDED, "status_suspended")


async def test_neither_bit_set_is_active() -> None:
    assert await outcome(lists([], [8])) == (StatusOutcome.ACTIVE, "status_active")


async def test_a_revoked_badge_is_revoked_whatever_the_suspension_list() -> None:
    assert await outcome(lists([9], [9])) == (StatusOutcome.REVOKED, "status_revoked")
    assert await outcome(lists([9], None)) == (StatusOutcome.REVOKED, "status_revoked")


async def test_an_unreadable_suspension_list_leaves_the_status_unchecked() -> None:
    assert await outcome(lists([], None)) == (StatusOutcome.COULD_NOT_CHECK, "status_list_unreachable")


async def test_a_suspension_list_of_another_issuer_is_not_believed() -> None:
    documents = lists([], None)
    documents[SUSPENSION] = signed_list(SUSPENSION, "suspension", [], issuer="did:web:elsewhere.example")
    assert ISSUER != "did:web:elsewhere.example"
    assert await outcome(documents) == (StatusOutcome.COULD_NOT_CHECK, "status_list_issuer_mismatch")


async def test_an_entry_of_another_layout_is_checked_alone() -> None:
    other = "https://other.example/lists/3"
    entry = status_entry(other, 9, "revocation")
    assert await outcome({other: signed_list(other, "revocation", [])}, entry) == (
        StatusOutcome.ACTIVE,
        "status_active",
    )
