"""Authorization codes and refresh tokens of the development OpenID provider, kept in the issuer's document store.

Only a SHA-256 of each code and refresh token is stored, so a copy of the database lets nobody sign in. A code is
single-use (compare-and-swap marks it used; a second redemption fails and also withdraws the refresh token the first
one obtained, as RFC 6749 §4.1.2 advises) and lives `signin_code_ttl_seconds`. A refresh token is replaced on each
use (rotation), so a stolen one works at most once before its owner's next refresh exposes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rexvet_common.errors import VersionConflictError
from rexvet_common.ports.document_store import DocumentStore
from rexvet_issuer.token_service.people import SignedInPerson

CODES = "oauth_authorization_codes"
REFRESH_TOKENS = "oauth_refresh_tokens"
PKCE_VERIFIER_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

Clock = Callable[[], float]


class GrantRefused(Exception):
    """RFC 6749 `invalid_grant`: the code or refresh token is unknown, used, expired or bound to something else."""


@dataclass(frozen=True)
class CodeRequest:
    """What an authorization code is bound to (everything the token request must repeat or prove)."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    scope: str


@dataclass(frozen=True)
class Grant:
    """What a redeemed code or refresh token gives: the person, for whom (client), with which OIDC scope."""

    person: SignedInPerson
    client_id: str
    scope: str
    nonce: str | None
    auth_time: int


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), unpadded."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def valid_verifier(verifier: str) -> bool:
    return 43 <= len(verifier) <= 128 and set(verifier) <= PKCE_VERIFIER_CHARACTERS


def _person(document: dict[str, Any]) -> SignedInPerson:
    person = document["person"]
    return SignedInPerson(
        tenant=str(person["tenant"]), sub=str(person["sub"]), name=str(person["name"]), roles=tuple(person["roles"])
    )


class SignInGrants:
    def __init__(
        self, documents: DocumentStore, *, code_ttl_seconds: int, refresh_ttl_seconds: int, clock: Clock = time.time
    ) -> None:
        self.documents = documents
        self.code_ttl_seconds = code_ttl_seconds
        self.refresh_ttl_seconds = refresh_ttl_seconds
        self.clock = clock

    async def prepare(self) -> None:
        await self.documents.ensure_collection(CODES)
        await self.documents.ensure_collection(REFRESH_TOKENS)

    async def issue_code(self, request: CodeRequest, person: SignedInPerson) -> str:
        code = secrets.token_urlsafe(32)
        now = self.clock()
        await self.documents.insert(
            CODES,
            {
                "_id": digest(code),
                "client_id": request.client_id,
                "redirect_uri": request.redirect_uri,
                "code_challenge": request.code_challenge,
                "nonce": request.nonce,
                "scope": request.scope,
                "person": person.claims(),
                "auth_time": int(now),
                "expires_at": now + self.code_ttl_seconds,
                "used": False,
                "refresh_id": None,
            },
        )
        return code

    async def redeem_code(self, code: str, *, client_id: str, redirect_uri: str, code_verifier: str) -> Grant:
        document = await self.documents.get(CODES, digest(code))
        if document is None:
            raise GrantRefused("unknown authorization code; start the sign-in again")
        if document["used"]:
            # A code seen twice was intercepted or replayed: the first redemption's refresh token goes too.
            if document.get("refresh_id"):
                await self.documents.delete(REFRESH_TOKENS, str(document["refresh_id"]))
            raise GrantRefused("this authorization code was already used; start the sign-in again")
        if self.clock() >= float(document["expires_at"]):
            raise GrantRefused("this authorization code has expired; start the sign-in again")
        if not hmac.compare_digest(str(document["client_id"]), client_id):
            raise GrantRefused("this authorization code was issued to another client")
        if not hmac.compare_digest(str(document["redirect_uri"]), redirect_uri):
            raise GrantRefused("redirect_uri differs from the one the authorization request used")
        if not valid_verifier(code_verifier) or not hmac.compare_digest(
            s256(code_verifier), str(document["code_challenge"])
        ):
            raise GrantRefused("code_verifier does not match the code_challenge of the authorization request")
        try:
            await self.documents.replace(CODES, document | {"used": True})
        except VersionConflictError as exc:
            raise GrantRefused("this authorization code was already used; start the sign-in again") from exc
        return Grant(
            person=_person(document),
            client_id=client_id,
            scope=str(document["scope"]),
            nonce=document.get("nonce"),
            auth_time=int(document["auth_time"]),
        )

    async def issue_refresh_token(self, grant: Grant, *, from_code: str | None = None) -> str:
        token = secrets.token_urlsafe(32)
        token_id = digest(token)
        await self.documents.insert(
            REFRESH_TOKENS,
            {
                "_id": token_id,
                "client_id": grant.client_id,
                "scope": grant.scope,
                "person": grant.person.claims(),
                "auth_time": grant.auth_time,
                "expires_at": self.clock() + self.refresh_ttl_seconds,
            },
        )
        if from_code is not None:
            document = await self.documents.get(CODES, digest(from_code))
            if document is not None:
                await self.documents.replace(CODES, document | {"refresh_id": token_id})
        return token

    async def redeem_refresh_token(self, token: str, *, client_id: str) -> Grant:
        document = await self.documents.get(REFRESH_TOKENS, digest(token))
        if document is None:
            raise GrantRefused("unknown or already used refresh token; sign in again")
        if not hmac.compare_digest(str(document["client_id"]), client_id):
            raise GrantRefused("this refresh token was issued to another client")
        try:
            deleted = await self.documents.delete(
                REFRESH_TOKENS, str(document["_id"]), expected_version=document["_version"]
            )
        except VersionConflictError:
            deleted = False
        if not deleted:
            raise GrantRefused("unknown or already used refresh token; sign in again")
        if self.clock() >= float(document["expires_at"]):
            raise GrantRefused("this refresh token has expired; sign in again")
        return Grant(
            person=_person(document),
            client_id=client_id,
            scope=str(document["scope"]),
            nonce=None,
            auth_time=int(document["auth_time"]),
        )
