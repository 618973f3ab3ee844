"""The metadata wallets read first: the Credential Issuer Metadata (OpenID4VCI 1.0 section 12.2) and the
Authorization Server Metadata (RFC 8414) of the pre-authorized code flow, one credential issuer per institution.

The credential issuer identifier is the institution's issuer Profile URL (`<base>/v1/issuers/<institution>`); the
credential issuer is its own authorization server, so the metadata names none (`authorization_servers` absent).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rexvet_issuer.domain.credential import CREDENTIAL_TYPES
from rexvet_issuer.domain.profile import OB_CONTEXT, VC2_CONTEXT
from rexvet_issuer.wallet.domain.offer import PRE_AUTHORIZED_GRANT
from rexvet_issuer.wallet.domain.proof import PROOF_ALGORITHMS

LDP_VC = "OpenBadgeCredential_ldp_vc"
JWT_VC_JSON = "OpenBadgeCredential_jwt_vc_json"
CONFIGURATION_IDS = (LDP_VC, JWT_VC_JSON)
BINDING_METHODS = ["did:key", "did:jwk", "jwk"]
CREDENTIAL_ISSUER_WELL_KNOWN = "/.well-known/openid-credential-issuer"
AUTHORIZATION_SERVER_WELL_KNOWN = "/.well-known/oauth-authorization-server"
ENDPOINTS = "/oid4vci"

# How wallets name the badge in their lists, per language of the platform.
BADGE_DISPLAY = {
    "en": ("Open Badge", "An Open Badges 3.0 credential of the REX VET staff development ladder"),
    "fi": ("Open Badge -osaamismerkki", "REX VET -henkilöstön kehittymispolun Open Badges 3.0 -osaamismerkki"),
    "et": ("Open Badge digitunnistus", "REX VET töötajate arenguredeli Open Badges 3.0 digitunnistus"),
    "it": ("Open Badge", "Una credenziale Open Badges 3.0 del percorso di sviluppo del personale REX VET"),
    "nl": ("Open Badge", "Een Open Badges 3.0-credential van de REX VET-ontwikkelladder voor personeel"),
    "es": ("Open Badge", "Una credencial Open Badges 3.0 del itinerario de desarrollo del personal de REX VET"),
}
BADGE_COLOURS = {"background_color": "#12355b", "text_color": "#ffffff"}


def credential_issuer_id(base_url: str, institution: str) -> str:
    return f"{base_url}/v1/issuers/{institution}"


def endpoint(credential_issuer: str, name: str) -> str:
    return f"{credential_issuer}{ENDPOINTS}/{name}"


def well_known_url(identifier: str, well_known: str) -> str:
    """`https://host/path` -> `https://host/.well-known/<name>/path`: inserted before the path (RFC 8414 section 3)."""
    parts = urlsplit(identifier)
    return f"{parts.scheme}://{parts.netloc}{well_known}{parts.path.rstrip('/')}"


def _badge_display() -> list[dict[str, Any]]:
    return [
        {"name": name, "locale": locale, "description": description, **BADGE_COLOURS}
        for locale, (name, description) in BADGE_DISPLAY.items()
    ]


def _configuration(format_: str, signing_algorithms: list[str], with_context: bool) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": list(CREDENTIAL_TYPES)}
    if with_context:
        definition = {"@context": [VC2_CONTEXT, OB_CONTEXT], **definition}
    return {
        "format": format_,
        "cryptographic_binding_methods_supported": list(BINDING_METHODS),
        "credential_signing_alg_values_supported": signing_algorithms,
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": list(PROOF_ALGORITHMS)}},
        "credential_definition": definition,
        "credential_metadata": {"display": _badge_display()},
    }


def credential_issuer_metadata(credential_issuer: str, issuer_name: str) -> dict[str, Any]:
    return {
        "credential_issuer": credential_issuer,
        "credential_endpoint": endpoint(credential_issuer, "credential"),
        "nonce_endpoint": endpoint(credential_issuer, "nonce"),
        "display": [{"name": issuer_name, "locale": locale} for locale in BADGE_DISPLAY],
        "credential_configurations_supported": {
            LDP_VC: _configuration("ldp_vc", ["eddsa-rdfc-2022"], with_context=True),
            JWT_VC_JSON: _configuration("jwt_vc_json", ["EdDSA"], with_context=False),
        },
    }


def authorization_server_metadata(credential_issuer: str) -> dict[str, Any]:
    return {
        "issuer": credential_issuer,
        "token_endpoint": endpoint(credential_issuer, "token"),
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        # Only the pre-authorized code flow: no authorization endpoint, so no response type (RFC 8414 section 2).
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["none"],
        "pre-authorized_grant_anonymous_access_supported": True,
    }
