"""Signing in and out, and the session each request finds: expiry, and the access token refreshed when it lapses.

The session lives on the server (the cookie holds only its random id). It ends `session_ttl_seconds` after sign-in
or `session_idle_seconds` after its last use; an expired access token is refreshed with the refresh token, and when
that is refused the session ends and the person signs in again.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rexvet_common.auth.principal import ClaimNames, words
from rexvet_common.auth.verifier import unverified_claims
from rexvet_portal.application.errors import ServiceCallError, SignInFailed, SignInNeeded
from rexvet_portal.application.ports import Clock, DirectoryPort, IdentityProvider, SessionStore
from rexvet_portal.domain.session import PendingSignIn, Person, Session

PENDING_SIGN_IN_SECONDS = 600.0  # time to fill in the provider's sign-in page
EMAIL_CLAIM = "email"  # the OpenID Connect standard claim

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignInStart:
    url: str
    state: str


def safe_return_path(value: str | None) -> str:
    """Only a path on the portal itself: never an open redirect to another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


class SignIn:
    def __init__(
        self,
        provider: IdentityProvider,
        sessions: SessionStore,
        clock: Clock,
        *,
        session_ttl_seconds: int,
        session_idle_seconds: int,
        claims: ClaimNames,
        name_claim: str,
        directory: DirectoryPort | None = None,
    ) -> None:
        self.provider = provider
        self.sessions = sessions
        self.clock = clock
        self.session_ttl_seconds = session_ttl_seconds
        self.session_idle_seconds = session_idle_seconds
        self.claims = claims
        self.name_claim = name_claim
        self.directory = directory

    async def begin(self, return_to: str | None) -> SignInStart:
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        await self.sessions.save_pending(
            PendingSignIn(state, nonce, verifier, safe_return_path(return_to), created_at=self.clock())
        )
        url = await self.provider.authorization_url(state=state, nonce=nonce, code_verifier=verifier)
        return SignInStart(url=url, state=state)

    async def finish(self, *, state: str, code: str, iss: str | None = None) -> tuple[Session, str]:
        """The new session and where to go next. `iss` (RFC 9207), when the provider sends it, must be its own."""
        pending = await self.sessions.take_pending(state)
        if pending is None or self.clock() > pending.created_at + PENDING_SIGN_IN_SECONDS:
            raise SignInFailed("this sign-in is unknown, used or too old")
        if iss and iss != await self.provider.issuer():
            raise SignInFailed(f"the answer names the issuer {iss!r}, not the provider this sign-in went to")
        answer = await self.provider.exchange(code=code, code_verifier=pending.code_verifier, nonce=pending.nonce)
        person = self.person_from(answer.id_claims, answer.tokens.access_token)
        now = self.clock()
        session = Session(
            id=secrets.token_urlsafe(32),
            person=person,
            tokens=answer.tokens,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            absolute_expiry=now + self.session_ttl_seconds,
            idle_seconds=self.session_idle_seconds,
        )
        await self.sessions.save(session)
        await self._record_profile(person, answer.id_claims, answer.tokens.access_token)
        return session, pending.return_to

    async def _record_profile(self, person: Person, id_claims: Mapping[str, Any], access_token: str) -> None:
        """Tell the people directory who signed in, so others see this person's name. It is a courtesy to them, not
        a condition of signing in: a failure is logged and the person goes on."""
        if self.directory is None:
            return
        email = id_claims.get(EMAIL_CLAIM)
        try:
            await self.directory.record_profile(
                access_token,
                display_name=person.name if person.name != person.sub else None,  # no name claim: nothing to tell
                email=email if isinstance(email, str) else None,
            )
        except ServiceCallError as exc:
            log.warning("the sign-in of %s was not recorded in the people directory: %s", person.sub, exc)

    def person_from(self, id_claims: Mapping[str, Any], access_token: str) -> Person:
        """Who signed in: the ID token's claims, completed from the access token's (some providers put tenant and
        roles only there). The access token is read, not verified, here: every service verifies it on each call."""
        access_claims = unverified_claims(access_token)
        merged = access_claims | dict(id_claims)
        sub, tenant = merged.get(self.claims.sub), merged.get(self.claims.tenant)
        if not isinstance(sub, str) or not isinstance(tenant, str):
            raise SignInFailed(f"the provider's tokens carry no {self.claims.sub!r} or {self.claims.tenant!r} claim")
        try:
            roles = words(merged.get(self.claims.roles))
        except ValueError as exc:
            raise SignInFailed(f"the {self.claims.roles!r} claim {exc}") from exc
        name = merged.get(self.name_claim) or merged.get("preferred_username") or sub
        return Person(sub=sub, tenant=tenant, name=str(name), roles=tuple(sorted(roles)))

    async def current(self, session_id: str | None) -> Session | None:
        """The live session of this id, its token fresh; None when there is none (any more)."""
        if not session_id:
            return None
        session = await self.sessions.get(session_id)
        if session is None:
            return None
        now = self.clock()
        if session.expired(now):
            await self.sessions.delete(session.id)
            return None
        if session.access_token_expired(now):
            if not session.tokens.refresh_token:
                await self.sessions.delete(session.id)
                return None
            try:
                session = session.with_tokens(await self.provider.refresh(session.tokens.refresh_token))
            except SignInNeeded:
                await self.sessions.delete(session.id)
                return None
        session = session.seen(now)
        await self.sessions.save(session)
        return session

    async def sign_out(self, session_id: str | None) -> None:
        if session_id:
            await self.sessions.delete(session_id)
