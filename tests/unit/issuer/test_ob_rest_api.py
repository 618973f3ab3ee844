"""The Open Badges 3.0 REST API (/ims/ob/v3p0): a staff member's own credentials and profile, discovery, and
Imsx_StatusInfo errors, as OB 3.0 §6 and its OpenAPI file define them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema
import pytest

from rexvet_issuer.application import credentials
from rexvet_issuer.token_service.tokens import mint_access_token

from .harness import AUDIENCE, BASE_URL, ISSUER, Issuer, eligible, issuer_service

pytestmark = pytest.mark.unit

OB = "/ims/ob/v3p0"
SCOPE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
READ_CREDENTIALS = SCOPE + "credential.readonly"
READ_PROFILE = SCOPE + "profile.readonly"

# Imsx_StatusInfo, Imsx_CodeMinor and Imsx_CodeMinorField as the OB 3.0 OpenAPI file defines them.
IMSX_STATUS_INFO = {
    "type": "object",
    "required": ["imsx_codeMajor", "imsx_severity"],
    "additionalProperties": False,
    "properties": {
        "imsx_codeMajor": {"enum": ["failure", "processing", "success", "unsupported"]},
        "imsx_severity": {"enum": ["error", "status", "warning"]},
        "imsx_description": {"type": "string"},
        "imsx_codeMinor": {
            "type": "object",
            "required": ["imsx_codeMinorField"],
            "additionalProperties": False,
            "properties": {
                "imsx_codeMinorField": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["imsx_codeMinorFieldName", "imsx_codeMinorFieldValue"],
                        "additionalProperties": False,
                        "properties": {
                            "imsx_codeMinorFieldName": {"type": "string"},
                            "imsx_codeMinorFieldValue": {
                                "enum": [
                                    "forbidden",
                                    "fullsuccess",
                                    "internal_server_error",
                                    "invalid_data",
                                    "invalid_query_parameter",
                                    "misdirected_request",
                                    "not_acceptable",
                                    "not_allowed",
                                    "not_found",
                                    "not_modified",
                                    "server_busy",
                                    "unauthorizedrequest",
                                    "unknown",
                                ]
                            },
                        },
                    },
                }
            },
        },
    },
}

# ServiceDescriptionDocument with OpenApiInfo, OpenApiComponents, OpenApiSecuritySchemes, OpenApiOAuth2SecurityScheme.
SERVICE_DESCRIPTION = {
    "type": "object",
    "required": ["openapi", "info", "components"],
    "properties": {
        "openapi": {"type": "string", "pattern": r"^3\.0\.\d+$"},
        "info": {
            "type": "object",
            "required": ["termsOfService", "title", "version", "x-imssf-privacyPolicyUrl"],
            "properties": {
                "termsOfService": {"type": "string", "pattern": "^https?://"},
                "x-imssf-privacyPolicyUrl": {"type": "string", "pattern": "^https?://"},
            },
        },
        "components": {
            "type": "object",
            "required": ["securitySchemes"],
            "properties": {
                "securitySchemes": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "OAuth2ACG": {
                            "type": "object",
                            "required": ["type", "x-imssf-registrationUrl"],
                            "properties": {
                                "type": {"const": "oauth2"},
                                "x-imssf-registrationUrl": {"type": "string", "pattern": "^https?://"},
                            },
                        }
                    },
                }
            },
        },
    },
}

DISCOVERY_SETTINGS: dict[str, Any] = {
    "ob_privacy_policy_url": "https://omnia.example/privacy",
    "ob_terms_of_service_url": "https://omnia.example/terms",
    "ob_client_registration_url": "https://omnia.example/api-clients",
    "ob_authorization_url": "https://login.omnia.example/authorize",
}


def bearer(
    issuer: Issuer,
    sub: str = "s-1",
    *,
    scopes: tuple[str, ...] = (READ_CREDENTIALS, READ_PROFILE),
    roles: tuple[str, ...] = ("staff",),
    tenant: str = "omnia",
    claims: dict[str, Any] | None = None,
) -> dict[str, str]:
    token = mint_access_token(
        issuer.ring.ensure(allow_create=False),
        issuer=ISSUER,
        audience=AUDIENCE,
        sub=sub,
        tenant=tenant,
        roles=roles,
        scopes=scopes,
        ttl_seconds=600,
        extra_claims=claims,
    )
    return {"Authorization": f"Bearer {token}"}


def imsx(response: httpx.Response, status: int, code_minor: str, code_major: str = "failure") -> str:
    """Asserts an Imsx_StatusInfo answer; returns its description."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    jsonschema.validate(body, IMSX_STATUS_INFO)
    assert body["imsx_codeMajor"] == code_major and body["imsx_severity"] == "error"
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == code_minor
    description: str = body["imsx_description"]
    return description


def links(response: httpx.Response) -> dict[str, dict[str, list[str]]]:
    """The RFC 8288 Link header as {rel: query parameters}."""
    found = {}
    for url, rel in re.findall(r'<([^>]+)>;\s*rel="([^"]+)"', response.headers["link"]):
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE_URL}{OB}/credentials"
        found[rel] = parse_qs(parts.query)
    return found


async def issue(issuer: Issuer, staff_id: str, episodes: int, **overrides: Any) -> list[dict[str, Any]]:
    for episode in range(1, episodes + 1):
        await issuer.publish_eligible(eligible(staff_id, episode=episode, **overrides))
    await issuer.settled()
    where = {"institution": issuer.tenant, "staff_id": staff_id}
    page = await issuer.documents.find(credentials.COLLECTION, where, limit=100)
    assert len(page.items) == episodes, issuer.dead_letters()
    return sorted(page.items, key=lambda record: record["issued_order"])


async def test_a_staff_member_reads_the_credentials_issued_to_them_and_no_one_elses(issuer: Issuer) -> None:
    mine = await issue(issuer, "s-1", 3)
    await issue(issuer, "s-2", 1)

    response = await issuer.client.get(f"{OB}/credentials", headers=bearer(issuer, "s-1"))

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"credential", "compactJwsString"}  # GetOpenBadgeCredentialsResponse, nothing else
    assert body["compactJwsString"] == []  # rexvet signs with Data Integrity, never VC-JWT
    assert [c["id"] for c in body["credential"]] == [record["credential_id"] for record in mine]  # oldest first
    assert body["credential"] == [record["credential"] for record in mine]  # exactly as signed
    assert response.headers["x-total-count"] == "3"
    assert set(links(response)) == {"first", "last"}  # one page: no next, no prev
    report = await issuer.verify(body["credential"][0])
    assert report.outcome.value == "verified", report.to_dict()

    other = await issuer.client.get(f"{OB}/credentials", headers=bearer(issuer, "s-1", tenant="other-school"))
    assert other.status_code == 200 and other.json()["credential"] == []
    assert other.headers["x-total-count"] == "0"


async def test_offset_pages_with_total_count_and_the_links_the_spec_names(issuer: Issuer) -> None:
    mine = await issue(issuer, "s-1", 5)
    headers = bearer(issuer)

    first = await issuer.client.get(f"{OB}/credentials", params={"limit": 2}, headers=headers)
    assert first.headers["x-total-count"] == "5"
    assert links(first) == {
        "next": {"limit": ["2"], "offset": ["2"]},
        "last": {"limit": ["2"], "offset": ["4"]},
        "first": {"limit": ["2"], "offset": ["0"]},
    }
    middle = await issuer.client.get(f"{OB}/credentials", params={"limit": 2, "offset": 2}, headers=headers)
    assert links(middle)["prev"] == {"limit": ["2"], "offset": ["0"]}
    assert links(middle)["next"] == {"limit": ["2"], "offset": ["4"]}
    last = await issuer.client.get(f"{OB}/credentials", params={"limit": 2, "offset": 4}, headers=headers)
    assert set(links(last)) == {"last", "first", "prev"}  # complete: no next
    pages = [page.json()["credential"] for page in (first, middle, last)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [c["id"] for page in pages for c in page] == [record["credential_id"] for record in mine]

    beyond = await issuer.client.get(f"{OB}/credentials", params={"limit": 2, "offset": 9}, headers=headers)
    assert beyond.json()["credential"] == [] and beyond.headers["x-total-count"] == "5"
    assert links(beyond)["prev"] == {"limit": ["2"], "offset": ["4"]}  # back to the last page, not past it

    capped = await issuer.client.get(f"{OB}/credentials", params={"limit": 100_000}, headers=headers)
    assert len(capped.json()["credential"]) == 5 and links(capped)["first"]["limit"] == ["200"]


async def test_since_keeps_the_credentials_issued_after_it(issuer: Issuer) -> None:
    mine = await issue(issuer, "s-1", 3)
    # As if issued on three different days (issuing takes well under a second here).
    for record, day in zip(mine, ("2026-01-01", "2026-02-01", "2026-03-01"), strict=True):
        stored = await issuer.documents.get(credentials.COLLECTION, record["_id"])
        assert stored is not None
        await issuer.documents.replace(
            credentials.COLLECTION,
            {**stored, "issued_at": f"{day}T09:00:00+00:00", "issued_order": f"{day}T09:00:00.000000+00:00"},
        )
    headers = bearer(issuer)

    response = await issuer.client.get(f"{OB}/credentials", params={"since": "2026-01-15T00:00:00"}, headers=headers)
    assert [c["id"] for c in response.json()["credential"]] == [r["credential_id"] for r in mine[1:]]
    assert response.headers["x-total-count"] == "2"
    assert links(response)["first"]["since"] == ["2026-01-15T00:00:00"]  # the links keep the filter

    exact = await issuer.client.get(f"{OB}/credentials", params={"since": "2026-02-01T09:00:00Z"}, headers=headers)
    assert [c["id"] for c in exact.json()["credential"]] == [mine[2]["credential_id"]]  # strictly after

    paged = await issuer.client.get(
        f"{OB}/credentials", params={"since": "2025-12-31T00:00:00Z", "limit": 1, "offset": 1}, headers=headers
    )
    assert [c["id"] for c in paged.json()["credential"]] == [mine[1]["credential_id"]]
    assert paged.headers["x-total-count"] == "3"


async def test_the_rexvet_scope_also_reads_and_other_scopes_or_roles_do_not(issuer: Issuer) -> None:
    await issue(issuer, "s-1", 1)

    rexvet_scope = await issuer.client.get(f"{OB}/credentials", headers=issuer.auth("s-1"))  # issuer:read
    assert rexvet_scope.status_code == 200 and len(rexvet_scope.json()["credential"]) == 1

    profile_only = await issuer.client.get(f"{OB}/credentials", headers=bearer(issuer, scopes=(READ_PROFILE,)))
    assert READ_CREDENTIALS in imsx(profile_only, 403, "forbidden")
    credentials_only = await issuer.client.get(f"{OB}/profile", headers=bearer(issuer, scopes=(READ_CREDENTIALS,)))
    assert READ_PROFILE in imsx(credentials_only, 403, "forbidden")
    not_staff = await issuer.client.get(f"{OB}/credentials", headers=bearer(issuer, roles=("hr-system",)))
    imsx(not_staff, 403, "forbidden")

    anonymous = await issuer.client.get(f"{OB}/credentials")
    imsx(anonymous, 401, "unauthorizedrequest")
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    forged = await issuer.client.get(f"{OB}/credentials", headers={"Authorization": "Bearer not.a.token"})
    imsx(forged, 401, "unauthorizedrequest")


async def test_bad_query_parameters_are_a_400_naming_them(issuer: Issuer) -> None:
    headers = bearer(issuer)
    for params, named in (({"limit": 0}, "limit"), ({"offset": -1}, "offset"), ({"since": "last tuesday"}, "since")):
        response = await issuer.client.get(f"{OB}/credentials", params=params, headers=headers)
        assert named in imsx(response, 400, "invalid_query_parameter")


async def test_upsert_and_profile_update_are_refused_as_unsupported(issuer: Issuer) -> None:
    await issue(issuer, "s-1", 1)
    upsert = await issuer.client.post(
        f"{OB}/credentials", json={"type": ["VerifiableCredential"]}, headers=bearer(issuer)
    )
    assert "issuing platform" in imsx(upsert, 405, "not_allowed", code_major="unsupported")
    assert upsert.headers["allow"] == "GET"
    put = await issuer.client.put(f"{OB}/profile", json={"type": ["Profile"], "id": "urn:x"}, headers=bearer(issuer))
    assert "identity provider" in imsx(put, 405, "not_allowed", code_major="unsupported")
    assert put.headers["allow"] == "GET"
    # Nothing was stored: the person still has the one credential rexvet issued.
    listed = await issuer.client.get(f"{OB}/credentials", headers=bearer(issuer))
    assert listed.headers["x-total-count"] == "1"

    other_method = await issuer.client.delete(f"{OB}/credentials", headers=bearer(issuer))
    imsx(other_method, 405, "not_allowed", code_major="unsupported")
    unknown = await issuer.client.get(f"{OB}/nothing-here", headers=bearer(issuer))
    imsx(unknown, 404, "not_found")


async def test_errors_outside_the_ob_api_stay_problem_details(issuer: Issuer) -> None:
    response = await issuer.client.get("/v1/me/credentials")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].startswith("https://rexvet.org/problems/")


async def test_the_profile_says_what_the_issuer_knows_of_the_bearer(issuer: Issuer) -> None:
    admin = issuer.auth("admin-1", "institution-admin")
    put = await issuer.client.put(
        "/v1/issuer/profile", json={"name": "Omnia", "url": "https://omnia.example"}, headers=admin
    )
    assert put.status_code == 200, put.text
    claims = {
        "name": "Sanna Virtanen",
        "given_name": "Sanna",
        "family_name": "Virtanen",
        "email": "sanna@omnia.example",
    }

    response = await issuer.client.get(f"{OB}/profile", headers=bearer(issuer, "s-1", claims=claims))

    assert response.status_code == 200, response.text
    profile = response.json()
    assert profile["@context"] == ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert profile["type"] == ["Profile"]
    assert profile["id"] == "urn:rexvet:omnia:staff:s-1"
    assert (profile["name"], profile["givenName"], profile["familyName"]) == ("Sanna Virtanen", "Sanna", "Virtanen")
    assert profile["email"] == "sanna@omnia.example"
    assert profile["otherIdentifier"] == [
        {"type": "IdentifierEntry", "identifier": "s-1", "identifierType": "sourcedId"}
    ]
    assert profile["parentOrg"] == {
        "id": "did:web:issuer.test:v1:issuers:omnia",  # the issuer's id in the credentials
        "type": ["Profile"],
        "name": "Omnia",
        "url": "https://omnia.example/",  # as the issuer publishes it
    }

    bare = await issuer.client.get(f"{OB}/profile", headers=bearer(issuer, "s/9 x"))  # no name claims, odd id
    assert bare.json()["id"] == "urn:rexvet:omnia:staff:s%2F9%20x"
    assert not {"name", "givenName", "familyName", "email"} & set(bare.json())


async def test_the_profile_id_is_the_did_the_bearer_received_credentials_at(issuer: Issuer) -> None:
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    await issue(issuer, "s-1", 1, recipient={"staff_id": "s-1", "did": did})
    response = await issuer.client.get(f"{OB}/profile", headers=bearer(issuer))
    assert response.json()["id"] == did


async def test_discovery_is_public_and_says_where_the_policies_and_oauth_endpoints_are(tmp_path: Path) -> None:
    async with issuer_service(tmp_path, **DISCOVERY_SETTINGS) as issuer:
        response = await issuer.client.get(f"{OB}/discovery")  # no token: discovery MUST NOT be protected

    assert response.status_code == 200, response.text
    document = response.json()
    jsonschema.validate(document, SERVICE_DESCRIPTION)
    assert document["info"]["x-imssf-privacyPolicyUrl"] == "https://omnia.example/privacy"
    assert document["info"]["termsOfService"] == "https://omnia.example/terms"
    assert document["servers"] == [{"url": f"{BASE_URL}{OB}"}]
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["x-imssf-registrationUrl"] == "https://omnia.example/api-clients"
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == "https://login.omnia.example/authorize"
    assert flow["tokenUrl"] == f"{ISSUER}/oauth/token"
    assert set(flow["scopes"]) == {READ_CREDENTIALS, READ_PROFILE}  # only what the offered operations need
    operations = {(path, method): op for path, item in document["paths"].items() for method, op in item.items()}
    assert set(operations) == {("/credentials", "get"), ("/profile", "get"), ("/discovery", "get")}
    assert operations[("/credentials", "get")]["security"] == [{"OAuth2ACG": [READ_CREDENTIALS]}]
    assert {p["name"] for p in operations[("/credentials", "get")]["parameters"]} == {"limit", "offset", "since"}
    # every $ref points at something the document defines
    refs = set(re.findall(r'"\$ref": "#/components/([^"]+)"', response.text))
    for ref in refs:
        section, name = ref.split("/")
        assert name in document["components"][section], ref


async def test_discovery_without_the_deployments_links_is_a_503_naming_the_settings(issuer: Issuer) -> None:
    response = await issuer.client.get(f"{OB}/discovery")
    description = imsx(response, 503, "internal_server_error")
    for variable in ("PRIVACY_POLICY_URL", "TERMS_OF_SERVICE_URL", "CLIENT_REGISTRATION_URL", "AUTHORIZATION_URL"):
        assert f"REXVET_ISSUER_OB_{variable}" in description
