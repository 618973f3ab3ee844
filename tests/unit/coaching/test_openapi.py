"""The OpenAPI document describes every coaching response, and what the API returns matches what it describes.

The first test reads the published document; the second drives every /v1 operation (the full path, then the rest)
and validates each 2xx JSON body against the schema the document gives for that operation and status, with a JSON
Schema validator rather than the models that produced it, so a schema that promises less or other than the output
fails here.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from rexvet_coaching.default_framework import DEFAULT_FRAMEWORK_FILE

from .flows import STAFF, full_path
from .harness import Harness

pytestmark = pytest.mark.unit

DOCUMENT_URI = "urn:rexvet:coaching:openapi"


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _success_responses(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(METHOD, path template) -> its 2xx responses, for every /v1 operation."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path, operations in document["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            found[(method.upper(), path)] = {
                status: response for status, response in operation["responses"].items() if status.startswith("2")
            }
    return found


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def _describes_a_shape(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """An object with named properties, or an array of such; `{}` or a free-form object is no description."""
    schema = _resolve(document, schema)
    if schema.get("type") == "array":
        return _describes_a_shape(document, schema.get("items", {}))
    return schema.get("type") == "object" and bool(schema.get("properties"))


async def _openapi(h: Harness) -> dict[str, Any]:
    r = await h.client.get("/openapi.json")
    assert r.status_code == 200, r.text
    document: dict[str, Any] = r.json()
    return document


async def test_every_success_response_of_every_v1_route_has_a_schema(h: Harness) -> None:
    document = await _openapi(h)
    operations = _success_responses(document)
    assert len(operations) >= 30  # the whole API, not a part of it
    missing: list[str] = []
    for (method, path), responses in operations.items():
        if not responses:
            missing.append(f"{method} {path}: no 2xx response documented")
        for status, response in responses.items():
            content = response.get("content", {})
            if not content:
                missing.append(f"{method} {path} {status}: no content documented")
            for media_type, body in content.items():
                schema = body.get("schema")
                if not schema:
                    missing.append(f"{method} {path} {status} {media_type}: no schema")
                elif _is_json(media_type) and not _describes_a_shape(document, schema):
                    missing.append(f"{method} {path} {status} {media_type}: schema says nothing: {schema}")
    assert missing == []
    # the issue's own words for the badge list: per badge its id, direction, level, title and Achievement
    badges = document["paths"]["/v1/framework/badges"]["get"]["responses"]["200"]["content"]["application/json"]
    badge = _resolve(document, badges["schema"]["items"])
    assert {"id", "direction", "level", "title", "achievement"} <= set(badge["required"])
    assert _describes_a_shape(document, badge["properties"]["achievement"])


class _ResponseChecker:
    """Validates every 2xx JSON response the client receives against the OpenAPI schema of its operation."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        resource: Resource[Any] = DRAFT202012.create_resource(document)
        self.registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path) for path in document["paths"]
        ]
        self.seen: set[tuple[str, str]] = set()
        self.failures: list[str] = []

    def template(self, path: str) -> str | None:
        return next((template for pattern, template in self.templates if pattern.match(path)), None)

    async def __call__(self, response: httpx.Response) -> None:
        template = self.template(response.request.url.path)
        media_type = response.headers.get("content-type", "").split(";")[0]
        if template is None or not template.startswith("/v1/") or not response.is_success:
            return
        method = response.request.method
        self.seen.add((method, template))
        if not _is_json(media_type):
            return
        await response.aread()
        # the schema by its place in the document, so its own "#/components/..." references resolve there
        where = ("paths", template, method.lower(), "responses", str(response.status_code), "content", media_type)
        pointer = "".join("/" + quote(part.replace("~", "~0").replace("/", "~1"), safe="") for part in where)
        validator = Draft202012Validator({"$ref": f"{DOCUMENT_URI}#{pointer}/schema"}, registry=self.registry)
        for error in validator.iter_errors(response.json()):
            self.failures.append(f"{method} {template}: {error.json_path}: {error.message}")


async def test_every_v1_response_validates_against_its_published_schema(h: Harness) -> None:
    checker = _ResponseChecker(await _openapi(h))
    h.client.event_hooks["response"].append(checker)
    await full_path(h)  # ends with Rookie held and the Advanced pathway started
    staff, coach = h.token(STAFF, "staff"), h.token("c-1", "coach")
    manager, admin = h.token("m-1", "manager"), h.token("a-1", "institution-admin")
    raw = yaml.safe_load(DEFAULT_FRAMEWORK_FILE.read_text())
    own = copy.deepcopy(raw["badges"][0])
    own.update(id="omnia-guest-week", title="Omnia international guest week")
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/v1/framework", {}),
        ("GET", "/v1/framework/versions", {}),
        ("GET", "/v1/framework/versions/1", {}),
        ("GET", "/v1/framework/versions/1/badges/home-expert", {}),
        ("GET", "/v1/framework/versions/1/badges/home-expert/image.svg", {}),
        ("GET", "/v1/framework/self-assessment/home", {}),
        ("PUT", "/v1/framework/extension", {"json": {"base_version": 1, "badges": [own]}, "headers": admin}),
        ("GET", "/v1/institutions/omnia/framework", {}),
        ("GET", "/v1/institutions/omnia/framework/badges", {}),
        ("GET", "/v1/institutions/omnia/framework/versions/1/badges/omnia-guest-week", {}),
        ("GET", "/v1/institutions/omnia/framework/versions/1/badges/omnia-guest-week/image.svg", {}),
        ("GET", "/v1/me/enrolments", {"headers": staff}),
        ("GET", "/v1/me/enrolments/abroad-rookie-1", {"headers": staff}),
        ("POST", "/v1/me/enrolments", {"json": {"badge_id": "home-rookie"}, "headers": staff}),
        ("POST", "/v1/me/enrolments/home-rookie-3/withdraw", {"headers": staff}),
        ("PUT", "/v1/me/recipient", {"json": {"did": "did:web:sanna.example"}, "headers": staff}),
        ("GET", f"/v1/staff/{STAFF}/ladder", {"headers": manager}),
        ("GET", f"/v1/staff/{STAFF}/enrolments", {"headers": coach}),
        ("GET", f"/v1/staff/{STAFF}/enrolments/abroad-rookie-1", {"headers": manager}),
        ("PUT", "/v1/staff/s-2/coach", {"json": {"coach_id": "c-1"}, "headers": manager}),
        ("PUT", "/v1/me/profile", {"json": {"display_name": "Sanna", "email": "sanna@omnia.fi"}, "headers": staff}),
        ("PUT", "/v1/me/profile", {"json": {"display_name": "Carl Coach"}, "headers": coach}),
        ("GET", "/v1/institution/coaches", {"headers": staff}),
        ("GET", f"/v1/people/{STAFF}", {"headers": coach}),
        ("GET", "/v1/coach/coachees", {"headers": coach}),  # with the coachee's name from the directory
        ("GET", "/v1/coach/sign-offs", {"headers": coach}),
        ("GET", "/v1/coach/queue", {"headers": coach}),
        ("GET", f"/v1/coach/queue?coachee={STAFF}", {"headers": coach}),
        ("DELETE", f"/v1/people/{STAFF}", {"headers": admin}),
        ("GET", "/v1/institution/summary?interval=day", {"headers": manager}),
    ]
    for method, url, options in calls:
        r = await h.client.request(method, url, **options)
        assert r.is_success, (method, url, r.text)
    v2 = copy.deepcopy(raw)
    v2["version"] = 2
    root = h.token("root", "consortium-admin", tenant="consortium")
    assert (await h.client.post("/v1/framework/versions", json=v2, headers=root)).status_code == 201
    documented = set(_success_responses(checker.document))
    assert documented - checker.seen == set()  # every operation was exercised, so every schema was checked
    assert checker.failures == []
