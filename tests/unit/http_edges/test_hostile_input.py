"""Input that no store or encoder takes is refused at every service's edge as a 4xx naming the field, never a 500.

Each case was a 500 on main 66e70ab (issue 15): a NUL character in a stored string (evidence title, issuer profile
name, ...), a lone surrogate ("\\ud800") on the verifier, JSON nested 1,000 deep on the public verifier, a NUL in a
path parameter, a non-ASCII `sig` on the public download link. Nothing refused is stored.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from evidence.harness import evidence_service

from .conftest import JsonEndpoint
from .test_json_bodies import problem

DEEP = "[" * 1000 + "]" * 1000


def probe_field(endpoint: JsonEndpoint) -> tuple[dict[str, Any], list[str]]:
    """A copy of the endpoint's body, and the path of the string field where hostile values go."""
    body = json.loads(json.dumps(endpoint.body))
    if endpoint.stored_string is not None:
        return body, [endpoint.stored_string]
    body["verifiableCredential"]["name"] = "x"
    return body, ["verifiableCredential", "name"]


def with_value(endpoint: JsonEndpoint, raw_value: str) -> tuple[bytes, str]:
    """The body as JSON text with `raw_value` (JSON text itself) at the probe field; and that field's location."""
    body, path = probe_field(endpoint)
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = "__HOSTILE__"
    text = json.dumps(body).replace('"__HOSTILE__"', raw_value)
    return text.encode(), ".".join(["body", *path])


async def test_a_lone_surrogate_is_422_naming_the_field(endpoint: JsonEndpoint) -> None:
    content, location = with_value(endpoint, '"before \\ud800 after"')
    body = problem(await endpoint.send(content, "application/json"), 422)
    assert [error["location"] for error in body["errors"]] == [location], body
    assert "surrogate" in body["detail"], body


async def test_json_nested_1000_deep_is_400_naming_where(endpoint: JsonEndpoint) -> None:
    content, _ = with_value(endpoint, DEEP)
    body = problem(await endpoint.send(content, "application/json"), 400)
    assert body["code"] == "not_json" and "nest deeper than 64 levels" in body["detail"], body
    assert body["line"] == 1 and body["column"] > 64, body


async def test_json_nested_1000_deep_in_a_keyless_array_is_400_too(endpoint: JsonEndpoint) -> None:
    problem(await endpoint.send(DEEP.encode(), "application/json"), 400)


@pytest.mark.parametrize(
    ("raw_value", "reason"),
    [
        ('"nul \\u0000 byte"', "NUL"),
        ("1180591620717411303424", "64 bits"),  # 2**70
        ('{"org.unit": "x"}', "contains '.'"),
        ('{"$where": "x"}', "starts with '$'"),
    ],
)
async def test_what_no_store_takes_is_422_naming_the_field_and_nothing_is_kept(
    guarded_endpoint: JsonEndpoint, raw_value: str, reason: str
) -> None:
    endpoint = guarded_endpoint  # the verifier keeps nothing it is sent: only what no encoder takes is refused there
    content, location = with_value(endpoint, raw_value)
    body = problem(await endpoint.send(content, "application/json"), 422)
    assert body["errors"][0]["location"] == location and reason in body["errors"][0]["message"], body


async def test_a_stored_string_with_a_nul_is_not_stored(guarded_endpoint: JsonEndpoint) -> None:
    endpoint = guarded_endpoint  # the verifier keeps nothing it is sent
    content, _ = with_value(endpoint, '"Omnia\\u0000"')
    problem(await endpoint.send(content, "application/json"), 422)
    # What is stored is what a clean body then sets, not the refused one.
    clean = await endpoint.send(json.dumps(endpoint.body).encode(), "application/json")
    assert clean.status_code == endpoint.accepted_status, clean.text
    assert "\\u0000" not in clean.text and "\x00" not in clean.text


NUL_PATHS = {
    "evidence": "/v1/evidence/ab%00cd",
    "coaching": "/v1/staff/coach%00one/ladder",  # a coach's id in a path
    "issuer": "/credentials/ab%00cd",
    "verifier": "/v1/verify/ab%00cd",
}


async def test_a_nul_in_a_path_parameter_is_400(endpoint: JsonEndpoint) -> None:
    response = await endpoint.client.get(NUL_PATHS[endpoint.service], headers=endpoint.headers)
    body = problem(response, 400)
    assert body["code"] == "nul_in_path" and "%00" in body["detail"], body


async def test_a_nul_in_a_query_parameter_is_400_naming_it(endpoint: JsonEndpoint) -> None:
    response = await endpoint.client.get("/healthz?probe=a%00b", headers=endpoint.headers)
    body = problem(response, 400)
    assert body["location"] == "query.probe", body


VALID_TEXT = '"v1.2 $5 \\u00e9 \\ud83d\\ude00"'  # a '.', a '$', an accent and a surrogate *pair* (one character)


async def test_a_valid_body_still_passes_the_edge(endpoint: JsonEndpoint) -> None:
    """Text within the rules is not refused by the edge: the endpoint answers as it does for the plain body."""
    value = '"alice.v1@example.org"' if endpoint.service == "coaching" else VALID_TEXT
    content, _ = with_value(endpoint, value)
    response = await endpoint.send(content, "application/json")
    assert response.status_code == endpoint.accepted_status, response.text
    if endpoint.stored_string is None:  # the verifier read and checked it (and found it is no credential)
        assert response.json()["type"].endswith("/credential-not-verified"), response.text


async def test_a_non_ascii_signature_on_the_public_download_link_is_403(tmp_path: Any) -> None:
    async with evidence_service(tmp_path) as service:
        response = await service.client.get("/v1/blobs/some-key", params={"expires": "9999999999", "sig": "é" * 8})
        body = problem(response, 403)
        assert "ask for a new one" in body["detail"]
