"""The token service's administration entry: what `rexvet auth ...` needs, and the only module the CLI imports of it.

The commands act on the issuer's own store and keys while the issuer may not be running, so they cannot go through
its HTTP API; reaching into `clients`, `keys` and `tokens` instead would tie the CLI to how the registry is
prepared, where keys live and which claims a token carries, all of which change with the issuer. These few functions
are the part the CLI may rely on (an import contract in the root `pyproject.toml` holds the CLI to them); the
settings are re-exported so that a caller needs no other module of the issuer.
"""

from __future__ import annotations

from rexvet_common.wiring.backends import build_document_store
from rexvet_issuer.settings import IssuerSettings, load_issuer_settings
from rexvet_issuer.token_service.clients import ClientRegistry, NewClient, validate_client_request
from rexvet_issuer.token_service.keys import SigningKey, SigningKeyRing
from rexvet_issuer.token_service.tokens import mint_access_token

__all__ = [
    "IssuerSettings",
    "NewClient",
    "SigningKey",
    "create_client",
    "development_signing_key",
    "load_issuer_settings",
    "mint_dev_token",
    "validate_client_request",
]


async def create_client(
    settings: IssuerSettings, *, tenant: str, roles: list[str], scopes: list[str], name: str | None
) -> NewClient:
    """A system's client (client-credentials grant) in the issuer's store; its secret is in the result only."""
    documents = build_document_store(settings)
    try:
        registry = ClientRegistry(documents)
        await registry.prepare()
        return await registry.create(tenant=tenant, roles=roles, scopes=scopes, name=name)
    finally:
        await documents.close()


def development_signing_key(settings: IssuerSettings) -> SigningKey:
    """The issuer's current token-signing key, created on first use as the issuer itself does in development."""
    return SigningKeyRing(settings.token_keys_path).ensure(allow_create=True)


def mint_dev_token(
    settings: IssuerSettings,
    key: SigningKey,
    *,
    tenant: str,
    sub: str,
    roles: list[str],
    scopes: list[str],
    ttl: int | None = None,
) -> str:
    """A development access token signed with the issuer's own key, as `rexvet auth dev-token` prints it (tests that
    need many people's tokens mint them here rather than start the command once per person)."""
    return mint_access_token(
        key,
        issuer=settings.platform.auth_issuer,
        audience=settings.platform.auth_audience,
        sub=sub,
        tenant=tenant,
        roles=roles,
        scopes=scopes,
        ttl_seconds=ttl or settings.dev_token_ttl_seconds,
        development=True,
    )
