"""Status checking: revoked, suspended, active, and every way a list can fail to give an answer."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rexvet_credentials.ports import StatusChecker, StatusOutcome
from rexvet_credentials.status.bitstring import Bitstring
from rexvet_credentials.status.checker import BitstringStatusChecker, ListProofVerdict, StatusCheckerByType
from rexvet_credentials.status.list_credential import build_list_credential, status_entry
from rexvet_credentials.status.revocation_list import RevocationListChecker

from ..fakes import FakeFetcher, SteppingClock

pytestmark = pytest.mark.unit

ISSUER = "did:web:issuer.example"
REVOCATIONS = "https://issuer.example/status/1"
SUSPENSIONS = "https://issuer.example/status/2"


async def proof_marker_verifier(document: Mapping[str, Any]) -> ListProofVerdict:
    """Stands in for the core's verify: a list whose `proof` is the string "valid" passes."""
    if document.get("proof") == "valid":
        return ListProofVerdict(valid=True)
    return ListProofVerdict(valid=False, reason="signature does not match")


def signed_list(url: str, purpose: str, set_bits: list[int], **kwargs: Any) -> dict[str, Any]:
    bits = Bitstring()
    for index in set_bits:
        bits.set(index)
    credential = build_list_credential(
        list_url=url,
        issuer=kwargs.pop("issuer", ISSUER),
        purpose=purpose,
        bitstring=bits,
        valid_from=kwargs.pop("valid_from", datetime(2026, 1, 1, tzinfo=UTC)),
        **kwargs,
    )
    credential["proof"] = "valid"
    return credential


def make(fetcher: FakeFetcher, clock: SteppingClock) -> BitstringStatusChecker:
    return BitstringStatusChecker(fetcher, proof_marker_verifier, clock)


def credential_with(entry: dict[str, Any]) -> dict[str, Any]:
    return {"id": "urn:uuid:1", "issuer": {"id": ISSUER, "type": "Profile"}, "credentialStatus": entry}


@pytest.fixture
def fetcher() -> FakeFetcher:
    return FakeFetcher(
        documents={
            REVOCATIONS: signed_list(REVOCATIONS, "revocation", [7, 94567]),
            SUSPENSIONS: signed_list(SUSPENSIONS, "suspension", [8]),
        }
    )


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def checker(fetcher: FakeFetcher, clock: SteppingClock) -> BitstringStatusChecker:
    return BitstringStatusChecker(fetcher, proof_marker_verifier, clock)


async def check(checker: StatusChecker, entry: dict[str, Any]) -> Any:
    return await checker.check(credential_with(entry), entry)


def test_is_a_status_checker(checker: BitstringStatusChecker) -> None:
    assert isinstance(checker, StatusChecker)


async def test_revoked(checker: BitstringStatusChecker) -> None:
    result = await check(checker, status_entry(REVOCATIONS, 94567, "revocation"))
    assert (result.outcome, result.code) == (StatusOutcome.REVOKED, "status_revoked")


async def test_not_revoked(checker: BitstringStatusChecker) -> None:
    result = await check(checker, status_entry(REVOCATIONS, 94568, "revocation"))
    assert (result.outcome, result.code) == (StatusOutcome.ACTIVE, "status_active")


async def test_suspended_and_not(checker: BitstringStatusChecker) -> None:
    assert (await check(checker, status_entry(SUSPENSIONS, 8, "suspension"))).outcome is StatusOutcome.SUSPENDED
    assert (await check(checker, status_entry(SUSPENSIONS, 7, "suspension"))).outcome is StatusOutcome.ACTIVE


async def test_list_that_cannot_be_fetched_is_could_not_check(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    fetcher.failures[REVOCATIONS] = "fetch_timeout"
    result = await check(
        BitstringStatusChecker(fetcher, proof_marker_verifier, clock), status_entry(REVOCATIONS, 7, "revocation")
    )
    assert result.outcome is StatusOutcome.COULD_NOT_CHECK
    assert result.code == "status_list_unreachable"
    assert result.details["fetch_code"] == "fetch_timeout"


async def test_list_whose_own_proof_fails_is_not_trusted(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    fetcher.documents[REVOCATIONS]["proof"] = "forged"
    result = await check(
        BitstringStatusChecker(fetcher, proof_marker_verifier, clock), status_entry(REVOCATIONS, 8, "revocation")
    )
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_list_proof_invalid")


async def test_truncated_list_is_could_not_check(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    subject = fetcher.documents[REVOCATIONS]["credentialSubject"]
    subject["encodedList"] = subject["encodedList"][:40]
    result = await check(
        BitstringStatusChecker(fetcher, proof_marker_verifier, clock), status_entry(REVOCATIONS, 8, "revocation")
    )
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_list_malformed")


async def test_list_shorter_than_the_minimum_is_could_not_check(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    short = Bitstring(8192)
    fetcher.documents[REVOCATIONS]["credentialSubject"]["encodedList"] = short.encode()
    result = await check(
        BitstringStatusChecker(fetcher, proof_marker_verifier, clock), status_entry(REVOCATIONS, 8, "revocation")
    )
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_list_too_short")


async def test_purpose_mismatch(checker: BitstringStatusChecker) -> None:
    result = await check(checker, status_entry(REVOCATIONS, 7, "suspension"))
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_purpose_mismatch")


async def test_index_out_of_range(checker: BitstringStatusChecker) -> None:
    result = await check(checker, status_entry(REVOCATIONS, 131_072, "revocation"))
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_index_out_of_range")


async def test_malformed_entry(checker: BitstringStatusChecker) -> None:
    entry = status_entry(REVOCATIONS, 7, "revocation")
    entry["statusListIndex"] = "-3"
    result = await check(checker, entry)
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_entry_malformed")


async def test_expired_list(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    fetcher.documents[REVOCATIONS] = signed_list(
        REVOCATIONS, "revocation", [7], valid_until=datetime(2026, 3, 1, tzinfo=UTC)
    )
    result = await check(
        BitstringStatusChecker(fetcher, proof_marker_verifier, clock), status_entry(REVOCATIONS, 7, "revocation")
    )
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_list_expired")


async def test_list_not_yet_valid(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    fetcher.documents[REVOCATIONS] = signed_list(
        REVOCATIONS, "revocation", [7], valid_from=datetime(2027, 1, 1, tzinfo=UTC)
    )
    result = await check(
        BitstringStatusChecker(fetcher, proof_marker_verifier, clock), status_entry(REVOCATIONS, 7, "revocation")
    )
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_list_not_yet_valid")


async def test_list_of_another_issuer(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    fetcher.documents[REVOCATIONS] = signed_list(REVOCATIONS, "revocation", [], issuer="did:web:other.example")
    result = await check(
        BitstringStatusChecker(fetcher, proof_marker_verifier, clock), status_entry(REVOCATIONS, 7, "revocation")
    )
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_list_issuer_mismatch")


async def test_lists_are_cached_for_their_ttl(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    fetcher.documents[REVOCATIONS] = signed_list(REVOCATIONS, "revocation", [7], ttl=timedelta(minutes=1))
    checker = BitstringStatusChecker(fetcher, proof_marker_verifier, clock)
    entry = status_entry(REVOCATIONS, 7, "revocation")
    await check(checker, entry)
    await check(checker, entry)
    assert fetcher.fetched == [REVOCATIONS]
    clock.advance(timedelta(seconds=61))
    await check(checker, entry)
    assert fetcher.fetched == [REVOCATIONS, REVOCATIONS]


async def test_default_ttl_is_five_minutes_and_drop_forgets(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    checker = BitstringStatusChecker(fetcher, proof_marker_verifier, clock)
    entry = status_entry(REVOCATIONS, 9, "revocation")
    assert (await check(checker, entry)).outcome is StatusOutcome.ACTIVE
    # The issuer revokes index 9 and tells the verifier (event): the cached list is dropped at once.
    fetcher.documents[REVOCATIONS] = signed_list(REVOCATIONS, "revocation", [9])
    clock.advance(timedelta(minutes=4))
    assert (await check(checker, entry)).outcome is StatusOutcome.ACTIVE  # still cached
    checker.cache.drop(REVOCATIONS)
    assert (await check(checker, entry)).outcome is StatusOutcome.REVOKED


async def test_a_list_failing_its_proof_is_not_cached(fetcher: FakeFetcher, clock: SteppingClock) -> None:
    fetcher.documents[REVOCATIONS]["proof"] = "forged"
    checker = BitstringStatusChecker(fetcher, proof_marker_verifier, clock)
    entry = status_entry(REVOCATIONS, 7, "revocation")
    await check(checker, entry)
    await check(checker, entry)
    assert fetcher.fetched == [REVOCATIONS, REVOCATIONS]


async def test_dispatch_by_type_and_1edtech_revocation_list(clock: SteppingClock) -> None:
    list_url = "https://1edtech.edu/credentials/3732/revocations"
    fetcher = FakeFetcher(
        documents={
            list_url: {
                "id": list_url,
                "issuer": ISSUER,
                "revokedCredentials": [{"id": "urn:uuid:1", "revocationReason": "issued in error"}],
            }
        }
    )
    checker = StatusCheckerByType(
        {
            "BitstringStatusListEntry": BitstringStatusChecker(fetcher, proof_marker_verifier, clock),
            "1EdTechRevocationList": RevocationListChecker(fetcher),
        }
    )
    entry = {"id": list_url, "type": "1EdTechRevocationList"}
    revoked = await checker.check(credential_with(entry), entry)
    assert (revoked.outcome, revoked.details["revocationReason"]) == (StatusOutcome.REVOKED, "issued in error")
    other = {**credential_with(entry), "id": "urn:uuid:2"}
    assert (await checker.check(other, entry)).outcome is StatusOutcome.ACTIVE
    fetcher.documents[list_url]["revokedCredentials"][0]["revoked"] = False  # reinstated
    assert (await checker.check(credential_with(entry), entry)).outcome is StatusOutcome.ACTIVE
    unknown = {"id": "https://x.example/s", "type": "StatusList2021Entry"}
    result = await checker.check(credential_with(unknown), unknown)
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_type_unsupported")


async def test_unreachable_1edtech_list_is_could_not_check() -> None:
    entry = {"id": "https://1edtech.edu/credentials/3732/revocations", "type": "1EdTechRevocationList"}
    result = await RevocationListChecker(FakeFetcher()).check(credential_with(entry), entry)
    assert (result.outcome, result.code) == (StatusOutcome.COULD_NOT_CHECK, "status_list_unreachable")


async def test_another_list_served_at_the_url_is_read_and_its_id_reported(
    fetcher: FakeFetcher, clock: SteppingClock
) -> None:
    # Another list of the issuer (validly signed) served where its revocation list should be: its bits are read,
    # as 1EdTech's validator reads them, and the id it declares is reported (the `status_entries` warning).
    fetcher.documents[REVOCATIONS] = signed_list(SUSPENSIONS, "revocation", [7])
    result = await check(make(fetcher, clock), status_entry(REVOCATIONS, 7, "revocation"))
    assert (result.outcome, result.code) == (StatusOutcome.REVOKED, "status_revoked")
    assert result.details["listDeclaredId"] == SUSPENSIONS


async def test_lists_are_inflated_one_at_a_time_whatever_the_callers_send(
    clock: SteppingClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many verifications naming large lists at once must not take every core: inflating is zlib work outside the
    GIL, so each inflation at once is a core the event loop does not get (bench/abuse)."""
    urls = [f"https://issuer.example/status/{n}" for n in range(8)]
    fetcher = FakeFetcher(documents={url: signed_list(url, "revocation", [n]) for n, url in enumerate(urls)})
    inflating, most = 0, 0
    lock = threading.Lock()
    real_decode = Bitstring.decode.__func__  # type: ignore[attr-defined]

    def counted_decode(cls: type[Bitstring], /, encoded: str, **kwargs: Any) -> Bitstring:
        nonlocal inflating, most
        with lock:
            inflating += 1
            most = max(most, inflating)
        time.sleep(0.02)  # long enough for the others to start, were they allowed to
        try:
            decoded: Bitstring = real_decode(cls, encoded, **kwargs)
            return decoded
        finally:
            with lock:
                inflating -= 1

    monkeypatch.setattr(Bitstring, "decode", classmethod(counted_decode))
    checker = BitstringStatusChecker(fetcher, proof_marker_verifier, clock)
    results = await asyncio.gather(*(check(checker, status_entry(url, n, "revocation")) for n, url in enumerate(urls)))
    assert [result.outcome for result in results] == [StatusOutcome.REVOKED] * len(urls)
    assert most == 1
