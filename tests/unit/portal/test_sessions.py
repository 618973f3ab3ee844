"""Sessions: expiry (idle and absolute), the access token refreshed when it lapses, or the session ended."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest

from rexvet_common.adapters.sqlite_document_store import SqliteDocumentStore
from rexvet_common.auth.principal import ClaimNames
from rexvet_portal.adapters.session_store import SESSIONS, DocumentSessionStore
from rexvet_portal.application.errors import SignInFailed, SignInNeeded
from rexvet_portal.application.ports import ProviderTokens
from rexvet_portal.application.sign_in import SignIn, safe_return_path
from rexvet_portal.domain.session import Tokens

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Provider:
    """The IdentityProvider port, answering as a provider would; it counts refreshes."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.refreshes = 0
        self.refuse_refresh = False
        self.claims = {"sub": "alice", "tenant": "omnia", "name": "Alice", "roles": ["staff"], "nonce": ""}

    async def issuer(self) -> str:
        return "https://provider.test"

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str:
        self.claims["nonce"] = nonce
        return f"https://provider.test/authorize?state={state}"

    async def exchange(self, *, code: str, code_verifier: str, nonce: str) -> ProviderTokens:
        if nonce != self.claims["nonce"]:
            raise SignInFailed("nonce")
        access = jwt.encode({"sub": "alice", "tenant": "omnia", "roles": ["staff"]}, "k" * 32, algorithm="HS256")
        return ProviderTokens(Tokens(access, self.clock() + 300, "refresh-1"), dict(self.claims))

    async def refresh(self, refresh_token: str) -> Tokens:
        if self.refuse_refresh:
            raise SignInNeeded("sign-in", "refused")
        self.refreshes += 1
        return Tokens(f"access-{self.refreshes}", self.clock() + 300, f"refresh-{self.refreshes + 1}")


@pytest.fixture
async def parts(tmp_path: Path) -> tuple[SignIn, Provider, Clock, SqliteDocumentStore]:
    clock = Clock()
    provider = Provider(clock)
    documents = SqliteDocumentStore(tmp_path / "portal.sqlite3")
    store = DocumentSessionStore(documents)
    await store.prepare()
    sign_in = SignIn(
        provider,
        store,
        clock,
        session_ttl_seconds=3600,
        session_idle_seconds=600,
        claims=ClaimNames(),
        name_claim="name",
    )
    return sign_in, provider, clock, documents


async def signed_in(sign_in: SignIn, next_path: str = "/ladder") -> str:
    start = await sign_in.begin(next_path)
    session, return_to = await sign_in.finish(state=start.state, code="code")
    assert return_to == next_path
    return session.id


async def test_a_pending_sign_in_works_once(parts: tuple[SignIn, Provider, Clock, SqliteDocumentStore]) -> None:
    sign_in, _, _, _ = parts
    start = await sign_in.begin("/")
    await sign_in.finish(state=start.state, code="code")
    with pytest.raises(SignInFailed):
        await sign_in.finish(state=start.state, code="code")


async def test_an_answer_from_another_issuer_is_refused(
    parts: tuple[SignIn, Provider, Clock, SqliteDocumentStore],
) -> None:
    sign_in, _, _, _ = parts
    start = await sign_in.begin("/")
    with pytest.raises(SignInFailed):
        await sign_in.finish(state=start.state, code="code", iss="https://other.test")


async def test_the_person_comes_from_the_tokens(parts: tuple[SignIn, Provider, Clock, SqliteDocumentStore]) -> None:
    sign_in, _, _, _ = parts
    session = await sign_in.current(await signed_in(sign_in))
    assert session is not None
    assert (session.person.sub, session.person.tenant, session.person.name) == ("alice", "omnia", "Alice")
    assert session.person.roles == ("staff",)


async def test_an_idle_session_ends(parts: tuple[SignIn, Provider, Clock, SqliteDocumentStore]) -> None:
    sign_in, _, clock, documents = parts
    session_id = await signed_in(sign_in)
    clock.now += 599
    assert await sign_in.current(session_id) is not None  # used: the idle time starts again
    clock.now += 599
    assert await sign_in.current(session_id) is not None
    clock.now += 601
    assert await sign_in.current(session_id) is None
    assert await documents.count(SESSIONS) == 0


async def test_a_session_ends_after_its_lifetime_however_busy(
    parts: tuple[SignIn, Provider, Clock, SqliteDocumentStore],
) -> None:
    sign_in, _, clock, _ = parts
    session_id = await signed_in(sign_in)
    for _ in range(7):
        clock.now += 500
        await sign_in.current(session_id)
    clock.now += 200  # 3700 s after sign-in
    assert await sign_in.current(session_id) is None


async def test_a_lapsed_access_token_is_refreshed(parts: tuple[SignIn, Provider, Clock, SqliteDocumentStore]) -> None:
    sign_in, provider, clock, _ = parts
    session_id = await signed_in(sign_in)
    clock.now += 290  # within 30 s of expiry: refreshed before the page's calls
    session = await sign_in.current(session_id)
    assert session is not None and session.tokens.access_token == "access-1" and provider.refreshes == 1
    again = await sign_in.current(session_id)  # the new token is stored with the session
    assert again is not None and again.tokens.access_token == "access-1" and provider.refreshes == 1


async def test_a_refused_refresh_ends_the_session(parts: tuple[SignIn, Provider, Clock, SqliteDocumentStore]) -> None:
    sign_in, provider, clock, documents = parts
    session_id = await signed_in(sign_in)
    provider.refuse_refresh = True
    clock.now += 400
    assert await sign_in.current(session_id) is None
    assert await documents.count(SESSIONS) == 0


def test_only_paths_on_the_portal_are_returned_to() -> None:
    assert safe_return_path("/ladder?x=1") == "/ladder?x=1"
    for unsafe in ("https://evil.test/", "//evil.test/", "/\\evil.test", "", None, "ladder"):
        assert safe_return_path(unsafe) == "/"
