"""Fixtures for tests that run the real service apps in-process: temporary data, the issuer's key code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from common.service_harness import AUDIENCE, ISSUER, TokenFactory
from rexvet_common.auth.jwks import StaticJwks
from rexvet_common.settings import PlatformSettings
from rexvet_issuer.token_service.keys import SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token


@pytest.fixture
def platform(tmp_path: Path) -> PlatformSettings:
    return PlatformSettings(data_dir=tmp_path / "var", auth_issuer=ISSUER, auth_audience=AUDIENCE)


@pytest.fixture
def key_ring(tmp_path: Path) -> SigningKeyRing:
    ring = SigningKeyRing(tmp_path / "token-keys")
    ring.create()
    return ring


@pytest.fixture
def trusted_keys(key_ring: SigningKeyRing) -> StaticJwks:
    return StaticJwks(key_ring.jwks)


@pytest.fixture
def make_token(key_ring: SigningKeyRing) -> TokenFactory:
    def make(
        *,
        sub: str = "alice",
        tenant: str = "omnia",
        roles: tuple[str, ...] = ("staff",),
        scopes: tuple[str, ...] = ("evidence:write", "evidence:read", "coaching:read"),
        ttl_seconds: int = 600,
        now: float | None = None,
        issuer: str = ISSUER,
        ring: SigningKeyRing | None = None,
        **extra: Any,
    ) -> str:
        return mint_access_token(
            (ring or key_ring).ensure(allow_create=False),
            issuer=issuer,
            audience=AUDIENCE,
            sub=sub,
            tenant=tenant,
            roles=roles,
            scopes=scopes,
            ttl_seconds=ttl_seconds,
            now=now,
            extra_claims=extra or None,
        )

    return make
