"""A signed-in person's session, kept on the server: who they are, their tokens, and when it ends."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Person:
    sub: str
    tenant: str
    name: str
    roles: tuple[str, ...]

    @property
    def main_role(self) -> str:
        for role in ("staff", "coach", "manager", "institution-admin", "consortium-admin"):
            if role in self.roles:
                return role
        return self.roles[0] if self.roles else "staff"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    access_expires_at: float
    refresh_token: str | None


@dataclass(frozen=True)
class Session:
    id: str
    person: Person
    tokens: Tokens
    csrf_token: str
    created_at: float
    last_seen_at: float
    absolute_expiry: float
    idle_seconds: int

    def expired(self, now: float) -> bool:
        return now >= self.absolute_expiry or now >= self.last_seen_at + self.idle_seconds

    def access_token_expired(self, now: float, margin: float = 30.0) -> bool:
        """Expired, or about to: a token that lapses during a page's calls would turn the page into a sign-in."""
        return now + margin >= self.tokens.access_expires_at

    def seen(self, now: float) -> Session:
        return replace(self, last_seen_at=now)

    def with_tokens(self, tokens: Tokens) -> Session:
        return replace(self, tokens=tokens)


@dataclass(frozen=True)
class PendingSignIn:
    """What the portal remembers between sending a person to the provider and their return (state is its id)."""

    state: str
    nonce: str
    code_verifier: str
    return_to: str
    created_at: float
