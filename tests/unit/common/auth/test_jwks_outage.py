"""Token checks while the token issuer is down: the issuer's real key set over real HTTP on a free loopback port,
taken down like a crashed issuer; the last good set kept in a real document store across a restart."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from common.service_harness import AUDIENCE, ISSUER, TokenFactory, bearer, running
from joserfc import jwt
from joserfc.jwk import ECKey

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.auth.jwks import RemoteJwks
from rexvet_common.auth.jwks_cache import COLLECTION, DocumentStoreJwksCache, cache_id
from rexvet_common.auth.verifier import TokenVerifier
from rexvet_common.errors import BackendUnavailableError
from rexvet_common.problems import PROBLEM_MEDIA_TYPE, Unauthorized
from rexvet_common.settings import PlatformSettings
from rexvet_evidence.app import create_app
from rexvet_evidence.settings import EvidenceSettings
from rexvet_issuer.token_service.keys import SigningKeyRing

pytestmark = pytest.mark.unit

SUBMISSION = {"title": "Shadowed a welding teacher in Tampere"}


class JwksServer:
    """The issuer's `/jwks.json` (the real key ring's published set), counting the fetches it answers."""

    def __init__(self, ring: SigningKeyRing, port: int = 0) -> None:
        self.fetches = 0
        self.answer = threading.Event()  # cleared: the issuer hangs, holding each request until it is set
        self.answer.set()
        self.asked = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                server.asked.set()
                server.answer.wait(timeout=60)
                body = json.dumps(ring.jwks()).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self._http.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/jwks.json"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()
        self.up = True

    def stop(self) -> None:
        """The issuer is gone: its port refuses connections."""
        self.answer.set()
        if self.up:
            self._http.shutdown()
            self._http.server_close()
            self._thread.join()
            self.up = False


@pytest.fixture
def issuer_keys(key_ring: SigningKeyRing) -> Iterator[JwksServer]:
    server = JwksServer(key_ring)
    yield server
    server.stop()


class Clock:
    """Wall-clock seconds the test moves forward, instead of waiting out a ttl or a staleness bound."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def verifier_on(keys: RemoteJwks) -> TokenVerifier:
    return TokenVerifier(keys, issuer=ISSUER, audience=AUDIENCE)


def forged(kid: str) -> str:
    """A well-formed token signed by someone else's key under a made-up kid."""
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "mallory", "tenant": "omnia", "exp": int(time.time()) + 300}
    return jwt.encode({"alg": "ES256", "kid": kid}, claims, ECKey.generate_key("P-256"))


async def test_tokens_are_still_checked_with_the_last_good_key_set_while_the_issuer_is_down(
    issuer_keys: JwksServer, make_token: TokenFactory
) -> None:
    clock = Clock()
    keys = RemoteJwks(issuer_keys.url, ttl_seconds=300, max_stale_seconds=3600, clock=clock)
    verifier = verifier_on(keys)
    assert (await verifier.verify(make_token())).sub == "alice"

    issuer_keys.stop()
    clock.now += 301  # the cached set is due for a refetch, which fails
    assert (await verifier.verify(make_token())).sub == "alice"
    clock.now += 3000  # still within the bound of an hour after the last good fetch
    assert (await verifier.verify(make_token(sub="bob"))).sub == "bob"


async def test_beyond_the_staleness_bound_tokens_are_refused_naming_the_setting_and_accepted_again_once_it_is_back(
    key_ring: SigningKeyRing, issuer_keys: JwksServer, make_token: TokenFactory
) -> None:
    clock = Clock()
    verifier = verifier_on(RemoteJwks(issuer_keys.url, max_stale_seconds=3600, clock=clock))
    await verifier.verify(make_token())

    issuer_keys.stop()
    clock.now += 3601
    with pytest.raises(BackendUnavailableError, match="REXVET_AUTH_JWKS_MAX_STALE_SECONDS") as refused:
        await verifier.verify(make_token())
    assert issuer_keys.url in str(refused.value)

    back = JwksServer(key_ring, port=issuer_keys.port)  # the issuer restarts on its address
    try:
        clock.now += 5  # past the refetch rate limit
        assert (await verifier.verify(make_token())).sub == "alice"
        assert back.fetches == 1
    finally:
        back.stop()


async def test_token_checks_do_not_queue_behind_a_refetch_from_a_hanging_issuer(
    issuer_keys: JwksServer, make_token: TokenFactory
) -> None:
    clock = Clock()
    verifier = verifier_on(RemoteJwks(issuer_keys.url, ttl_seconds=300, timeout_seconds=60, clock=clock))
    await verifier.verify(make_token())

    issuer_keys.answer.clear()  # the issuer accepts connections but does not answer
    issuer_keys.asked.clear()
    clock.now += 301
    refetching = asyncio.create_task(verifier.verify(make_token()))
    await asyncio.to_thread(issuer_keys.asked.wait, 30)  # that check is now waiting on the refetch
    assert (await verifier.verify(make_token(sub="bob"))).sub == "bob"  # this one uses the set in hand
    assert not refetching.done()
    issuer_keys.answer.set()
    assert (await refetching).sub == "alice"
    assert issuer_keys.fetches == 2


async def test_a_restarted_service_checks_tokens_with_the_key_set_it_kept(
    tmp_path: Path, issuer_keys: JwksServer, make_token: TokenFactory
) -> None:
    path = tmp_path / "documents.sqlite3"
    before = SqliteDocumentStore(path)
    try:
        await verifier_on(RemoteJwks(issuer_keys.url, cache=DocumentStoreJwksCache(before))).verify(make_token())
    finally:
        await before.close()
    issuer_keys.stop()

    # Without the kept set a fresh process cannot check anything: the state of things before this change.
    with pytest.raises(BackendUnavailableError, match="no key set was ever fetched"):
        await verifier_on(RemoteJwks(issuer_keys.url)).verify(make_token())

    after = SqliteDocumentStore(path)  # the restarted process: nothing in memory, the same store
    try:
        restarted = verifier_on(RemoteJwks(issuer_keys.url, cache=DocumentStoreJwksCache(after)))
        assert (await restarted.verify(make_token())).sub == "alice"
    finally:
        await after.close()


async def test_an_unknown_kid_is_fetched_at_once_but_made_up_kids_do_not_hammer_the_issuer(
    key_ring: SigningKeyRing, issuer_keys: JwksServer, make_token: TokenFactory
) -> None:
    clock = Clock()
    verifier = verifier_on(RemoteJwks(issuer_keys.url, ttl_seconds=300, min_refetch_seconds=5, clock=clock))
    await verifier.verify(make_token())
    assert issuer_keys.fetches == 1

    clock.now += 6
    key_ring.create()  # the issuer rotates: the new kid is not in the cached set, well within its ttl
    assert (await verifier.verify(make_token())).sub == "alice"
    assert issuer_keys.fetches == 2  # fetched at once, not after the ttl

    for _ in range(20):
        with pytest.raises(Unauthorized, match="does not publish"):
            await verifier.verify(forged(uuid.uuid4().hex))
    clock.now += 5
    with pytest.raises(Unauthorized, match="does not publish"):
        await verifier.verify(forged(uuid.uuid4().hex))
    assert issuer_keys.fetches == 3  # the twenty within the interval after the rotation cost nothing; then one


async def test_the_evidence_service_takes_hr_pushes_after_a_restart_while_the_issuer_is_down(
    tmp_path: Path, issuer_keys: JwksServer, make_token: TokenFactory
) -> None:
    """End to end: the service builds its key source from the settings and keeps the set in its own store."""
    platform = PlatformSettings(
        data_dir=tmp_path / "var", auth_issuer=ISSUER, auth_audience=AUDIENCE, auth_jwks_url=issuer_keys.url
    )
    async with running(create_app(EvidenceSettings(platform=platform))) as client:
        created = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token()))
        assert created.status_code == 201, created.text
    issuer_keys.stop()

    async with running(create_app(EvidenceSettings(platform=platform))) as client:
        created = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token()))
        assert created.status_code == 201, created.text

    # The same restart with a kept set older than the bound: a 503 problem that says what to change.
    documents = SqliteDocumentStore(tmp_path / "var" / "evidence" / "documents.sqlite3")
    try:
        kept = await documents.get(COLLECTION, cache_id(issuer_keys.url))
        assert kept is not None
        kept["fetched_at"] -= platform.auth_jwks_max_stale_seconds + 60
        await documents.replace(COLLECTION, kept)
    finally:
        await documents.close()
    async with running(create_app(EvidenceSettings(platform=platform))) as client:
        refused = await client.post("/v1/evidence", json=SUBMISSION, headers=bearer(make_token()))
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    assert "REXVET_AUTH_JWKS_MAX_STALE_SECONDS" in refused.json()["detail"]
    assert refused.headers["retry-after"] == "5"  # not a bad token: the HR system should send it again
