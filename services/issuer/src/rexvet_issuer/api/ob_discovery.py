"""The OB 3.0 Service Description Document (`GET /ims/ob/v3p0/discovery`): the OpenAPI 3.0 file of the spec,
profiled to what this issuer offers.

OB 3.0 §6.3 and its ServiceDescriptionDocument / OpenApiInfo / OpenApiOAuth2SecurityScheme classes require
`info.termsOfService`, `info.x-imssf-privacyPolicyUrl` and, on the `OAuth2ACG` scheme, `x-imssf-registrationUrl`:
a client shows them to the person before it asks for access. They are the deploying organisation's documents and
its OAuth provider's endpoints, so they come from settings (`REXVET_ISSUER_OB_*`); until they are set the document
is not served (a 503 naming the variables) rather than served with invented links.

Profiled means: only the operations this issuer performs are listed (getCredentials, getProfile, discovery), and
only the scopes they need. upsertCredential and putProfile answer 405 (see ob_rest.py) and are left out.
"""

from __future__ import annotations

from typing import Any

from rexvet_issuer import scopes
from rexvet_issuer.api.ob_status import OB_PREFIX
from rexvet_issuer.settings import IssuerSettings

SPEC_URL = "https://www.imsglobal.org/spec/ob/v3p0/"
_ERROR_STATUSES = ("400", "401", "403", "405", "500")
_STATUS_REF = {"$ref": "#/components/schemas/Imsx_StatusInfo"}


class DiscoveryNotConfigured(Exception):
    def __init__(self, missing: list[str]) -> None:
        super().__init__("the OB 3.0 service description needs the deployment's own links: set " + ", ".join(missing))
        self.missing = missing


def service_description(settings: IssuerSettings) -> dict[str, Any]:
    wanted = {
        "REXVET_ISSUER_OB_PRIVACY_POLICY_URL": settings.ob_privacy_policy_url,
        "REXVET_ISSUER_OB_TERMS_OF_SERVICE_URL": settings.ob_terms_of_service_url,
        "REXVET_ISSUER_OB_CLIENT_REGISTRATION_URL": settings.ob_client_registration_url,
        "REXVET_ISSUER_OB_AUTHORIZATION_URL": settings.ob_authorization_url,
    }
    missing = [name for name, value in wanted.items() if value is None]
    if missing:
        raise DiscoveryNotConfigured(missing)
    privacy, terms = str(settings.ob_privacy_policy_url), str(settings.ob_terms_of_service_url)
    token_url = str(settings.ob_token_url or f"{settings.platform.auth_issuer.rstrip('/')}/oauth/token")
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "rexvet issuer: Open Badges 3.0 API",
            "description": "The Open Badges 3.0 credentials a VET institution issued to its staff, read by the "
            "staff member's own client (getCredentials, getProfile).",
            "version": "3.0",
            "termsOfService": terms,
            "x-imssf-privacyPolicyUrl": privacy,
        },
        "externalDocs": {"description": "Open Badges 3.0, section 6 (API)", "url": SPEC_URL},
        "servers": [{"url": f"{settings.base_url}{OB_PREFIX}"}],
        "tags": [
            {"name": "OpenBadgeCredentials", "description": "Read the OpenBadgeCredentials and Profile."},
            {"name": "Discovery"},
        ],
        "paths": {
            "/credentials": {"get": _get_credentials()},
            "/profile": {"get": _get_profile()},
            "/discovery": {"get": _get_discovery()},
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 Authorization Code Grant authorization",
                    "x-imssf-name": "rexvet",
                    "x-imssf-privacyPolicyUrl": privacy,
                    "x-imssf-registrationUrl": str(settings.ob_client_registration_url),
                    "x-imssf-termsOfServiceUrl": terms,
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": str(settings.ob_authorization_url),
                            "tokenUrl": token_url,
                            "scopes": {
                                scope: scopes.OB_SCOPE_DESCRIPTIONS[scope]
                                for scope in (scopes.OB_CREDENTIAL_READONLY, scopes.OB_PROFILE_READONLY)
                            },
                        }
                    },
                }
            },
            "headers": {
                "X-Total-Count": {
                    "description": "The total number of resources that are available to be returned",
                    "schema": {"type": "integer", "format": "int32"},
                }
            },
            "schemas": _schemas(),
        },
    }


def _errors(*statuses: str) -> dict[str, Any]:
    return {
        status: {"description": "See the Open Badges 3.0 API", "content": {"application/json": {"schema": _STATUS_REF}}}
        for status in (*statuses, "default")
    }


def _get_credentials() -> dict[str, Any]:
    def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}

    return {
        "tags": ["OpenBadgeCredentials"],
        "operationId": "getCredentials",
        "summary": "The OpenBadgeCredentials issued to the authenticated staff member, oldest first",
        "parameters": [
            query("limit", {"type": "integer", "format": "int32", "minimum": 1, "maximum": 200}, "Page size"),
            query("offset", {"type": "integer", "format": "int32", "minimum": 0}, "Index of the first (from 0)"),
            query("since", {"type": "string", "format": "date-time"}, "Only credentials issued after this time"),
        ],
        "responses": {
            "200": {
                "description": "The page of credentials; a Link header names next, last, first and prev pages",
                "headers": {"X-Total-Count": {"$ref": "#/components/headers/X-Total-Count"}},
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/GetOpenBadgeCredentialsResponse"}}
                },
            },
            **_errors(*_ERROR_STATUSES),
        },
        "security": [{"OAuth2ACG": [scopes.OB_CREDENTIAL_READONLY]}],
    }


def _get_profile() -> dict[str, Any]:
    return {
        "tags": ["OpenBadgeCredentials"],
        "operationId": "getProfile",
        "summary": "The authenticated staff member's Profile, as far as the issuer knows them",
        "responses": {
            "200": {
                "description": "The Profile",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}},
            },
            **_errors("400", "401", "403", "404", "405", "500"),
        },
        "security": [{"OAuth2ACG": [scopes.OB_PROFILE_READONLY]}],
    }


def _get_discovery() -> dict[str, Any]:
    return {
        "tags": ["Discovery"],
        "operationId": "getServiceDescription",
        "summary": "This document",
        "responses": {
            "200": {
                "description": "The Service Description Document",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            **_errors(),
        },
    }


def _schemas() -> dict[str, Any]:
    string_array = {"type": "array", "items": {"type": "string"}}
    return {
        "GetOpenBadgeCredentialsResponse": {
            "type": "object",
            "properties": {
                "credential": {"type": "array", "items": {"$ref": "#/components/schemas/AchievementCredential"}},
                "compactJwsString": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[a-zA-Z0-9_-]+\\.[a-zA-Z0-9_-]*\\.[a-zA-Z0-9_-]+$"},
                },
            },
            "additionalProperties": False,
        },
        "AchievementCredential": {
            "type": "object",
            "description": "An OpenBadgeCredential with an eddsa-rdfc-2022 DataIntegrityProof (never VC-JWT here, so "
            "compactJwsString is always empty)",
            "required": ["@context", "id", "type", "credentialSubject", "issuer", "validFrom"],
            "additionalProperties": True,
            "externalDocs": {"url": SPEC_URL + "#achievementcredential"},
        },
        "Profile": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {"id": {"type": "string"}, "type": string_array, "name": {"type": "string"}},
            "additionalProperties": True,
            "externalDocs": {"url": SPEC_URL + "#profile"},
        },
        "Imsx_StatusInfo": {
            "type": "object",
            "required": ["imsx_codeMajor", "imsx_severity"],
            "properties": {
                "imsx_codeMajor": {"type": "string", "enum": ["failure", "processing", "success", "unsupported"]},
                "imsx_severity": {"type": "string", "enum": ["error", "status", "warning"]},
                "imsx_description": {"type": "string"},
                "imsx_codeMinor": {
                    "type": "object",
                    "required": ["imsx_codeMinorField"],
                    "properties": {
                        "imsx_codeMinorField": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "required": ["imsx_codeMinorFieldName", "imsx_codeMinorFieldValue"],
                                "properties": {
                                    "imsx_codeMinorFieldName": {"type": "string"},
                                    "imsx_codeMinorFieldValue": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
            "additionalProperties": False,
        },
    }
