"""What an anonymous caller's credential can make the verifier fetch and keep: bounded by bytes, by count of
entries, by ttl, and only lists that are the credential issuer's own and verify (issue 15)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rexvet_credentials.didweb import WebKeyResolver
from rexvet_credentials.keys import Ed25519SigningKey
from rexvet_credentials.offline_documents import PreloadedFetcher
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.bitstring import Bitstring
from rexvet_credentials.status.list_credential import build_list_credential, status_entry
from rexvet_verifier.bootstrap import VerifierContext

from .credentials import KEY, ob3_credential, signed, signed_list, with_status
from .harness import NOW, Service, checks_by_id, verifier_service

pytestmark = pytest.mark.unit

LISTS = "https://status.rexvet.example/lists"


class CountingFetcher(PreloadedFetcher):
    """The preloaded fetcher, counting what it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    async def fetch(self, url: str, *, accept: str = "application/json") -> Any:
        self.asked.append(url)
        return await super().fetch(url, accept=accept)


def context_of(service: Service) -> VerifierContext:
    context = service.app.state.runtime.context
    assert isinstance(context, VerifierContext)
    return context


def list_of(url: str, *, entries: int = 131_072, ttl: timedelta | None = None, key: Ed25519SigningKey = KEY) -> bytes:
    unsigned = build_list_credential(
        list_url=url,
        issuer=key.controller,
        purpose="revocation",
        bitstring=Bitstring(entries),
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
        ttl=ttl,
    )
    return json.dumps(sign_credential(unsigned, key)).encode()


async def test_the_status_list_cache_is_bounded_by_decoded_bytes_not_by_count(tmp_path: Path) -> None:
    fetcher = PreloadedFetcher()
    budget = 3 * 64 * 1024  # three lists of 64 KiB decoded (each 1 KiB or so on the wire)
    async with verifier_service(tmp_path, fetcher=fetcher, status_list_cache_bytes=budget) as service:
        cache = context_of(service).status_lists
        for n in range(8):
            url = f"{LISTS}/{n}"
            fetcher.add(url, list_of(url, entries=64 * 1024 * 8))
            assert (await service.verify_json(with_status(url=url)))["outcome"] == "verified"
            assert cache.bytes <= budget
        assert 0 < len(cache.entries) <= 3
        assert f"{LISTS}/7" in cache.entries  # the most recently used stays, the oldest went first
        assert f"{LISTS}/0" not in cache.entries


async def test_a_list_larger_than_the_largest_accepted_is_not_used(tmp_path: Path) -> None:
    fetcher = PreloadedFetcher()
    url = f"{LISTS}/big"
    fetcher.add(url, list_of(url, entries=4 * 1024 * 1024 * 8))  # 4 MiB decoded, from a few KB on the wire
    async with verifier_service(tmp_path, fetcher=fetcher, max_status_list_bytes=2 * 1024 * 1024) as service:
        report = await service.verify_json(with_status(url=url))
        assert report["outcome"] == "incomplete"
        assert checks_by_id(report)["status"]["code"] == "status_list_too_large"
        assert context_of(service).status_lists.bytes == 0


async def test_a_list_of_another_issuer_is_neither_used_nor_kept(tmp_path: Path) -> None:
    fetcher = CountingFetcher()
    stranger = Ed25519SigningKey.generate()
    url = f"{LISTS}/strangers"
    fetcher.add(url, list_of(url, key=stranger))  # validly signed, by someone else than the credential's issuer
    async with verifier_service(tmp_path, fetcher=fetcher) as service:
        for _ in range(2):
            report = await service.verify_json(with_status(url=url))
            assert report["outcome"] == "incomplete"
            assert checks_by_id(report)["status"]["code"] == "status_list_issuer_mismatch"
        cache = context_of(service).status_lists
        assert cache.entries == {} and cache.bytes == 0
    assert fetcher.asked.count(url) == 2  # not answered from memory the second time


async def test_a_list_whose_proof_fails_is_not_kept(tmp_path: Path) -> None:
    fetcher = PreloadedFetcher()
    url = f"{LISTS}/forged"
    forged = json.loads(list_of(url))
    forged["validFrom"] = "2026-01-02T00:00:00Z"  # changed after signing
    fetcher.add(url, json.dumps(forged).encode())
    async with verifier_service(tmp_path, fetcher=fetcher) as service:
        report = await service.verify_json(with_status(url=url))
        assert checks_by_id(report)["status"]["code"] == "status_list_proof_invalid"
        assert context_of(service).status_lists.entries == {}


async def test_the_lists_own_ttl_never_exceeds_the_configured_cap(tmp_path: Path) -> None:
    fetcher = PreloadedFetcher()
    url = f"{LISTS}/forever"
    fetcher.add(url, list_of(url, ttl=timedelta(days=365)))
    async with verifier_service(tmp_path, fetcher=fetcher, status_list_max_ttl_seconds=600) as service:
        assert (await service.verify_json(with_status(url=url)))["outcome"] == "verified"
        kept = context_of(service).status_lists.entries[url]
        assert kept.expires_at == NOW + timedelta(seconds=600)


async def test_a_shorter_ttl_of_the_list_is_kept_as_it_is(tmp_path: Path) -> None:
    fetcher = PreloadedFetcher()
    url = f"{LISTS}/brief"
    fetcher.add(url, list_of(url, ttl=timedelta(seconds=30)))
    async with verifier_service(tmp_path, fetcher=fetcher, status_list_max_ttl_seconds=600) as service:
        await service.verify_json(with_status(url=url))
        assert context_of(service).status_lists.entries[url].expires_at == NOW + timedelta(seconds=30)


def credential_with_entries(count: int) -> dict[str, Any]:
    entries = [status_entry(f"{LISTS}/{n}", 7, "revocation") for n in range(count)]
    return signed(ob3_credential(credentialStatus=entries))


async def test_more_status_entries_than_allowed_fail_before_any_fetch(tmp_path: Path) -> None:
    fetcher = CountingFetcher()
    async with verifier_service(tmp_path, fetcher=fetcher) as service:
        report = await service.verify_json(credential_with_entries(200))
    status = checks_by_id(report)["status"]
    assert (status["outcome"], status["code"]) == ("failed", "status_too_many_entries")
    assert status["details"] == {"entries": 200, "limit": 4}
    assert not [url for url in fetcher.asked if url.startswith(LISTS)]


async def test_the_entry_limit_is_a_setting_and_entries_within_it_are_all_checked(tmp_path: Path) -> None:
    fetcher = CountingFetcher()
    for n in range(3):
        fetcher.add(f"{LISTS}/{n}", json.dumps(signed_list(url=f"{LISTS}/{n}")).encode())
    async with verifier_service(tmp_path, fetcher=fetcher, max_status_entries=3) as service:
        within = await service.verify_json(credential_with_entries(3))
        # (OB 3.0's model takes one entry, so `structure` fails; the status check still checks each of them.)
        assert (checks_by_id(within)["status"]["outcome"], checks_by_id(within)["status"]["code"]) == (
            "passed",
            "status_active",
        )
        refused = await service.verify_json(credential_with_entries(4))
    assert checks_by_id(refused)["status"]["code"] == "status_too_many_entries"
    assert sorted(url for url in fetcher.asked if url.startswith(LISTS)) == [f"{LISTS}/{n}" for n in range(3)]


async def test_key_documents_are_kept_by_bytes(tmp_path: Path) -> None:
    fetcher = PreloadedFetcher()
    budget = 6 * 1024
    async with verifier_service(tmp_path, fetcher=fetcher, key_document_cache_bytes=budget) as service:
        resolver = context_of(service).verifier.key_resolver
        assert isinstance(resolver, WebKeyResolver)
        for n in range(6):
            issuer = f"https://issuer{n}.rexvet.example/profile"
            padding = {"name": "x" * 2000}  # a controller document of about 2 KB
            method = {"id": f"{issuer}#key-1", "type": "Multikey", "publicKeyMultibase": KEY.public_key_multibase}
            document = {"id": issuer, "verificationMethod": [method], "assertionMethod": [method["id"]], **padding}
            fetcher.add(issuer, json.dumps(document).encode())
            await resolver.resolve(f"{issuer}#key-1")
            assert resolver.cached_bytes <= budget
        assert resolver.cached_bytes > 0
