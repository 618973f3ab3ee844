"""Every service answers a JSON endpoint the same way: malformed JSON is a 400 that says what and where, a body not
declared as JSON (another type, none, a multipart form) is a 415 that says what to send; the body itself, sent right,
is accepted (so the refusals are about the framing, not the content)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from rexvet_common.problems import PROBLEM_MEDIA_TYPE

from .conftest import JsonEndpoint

# Line 3, column 3 is where the unquoted name starts.
MALFORMED = b'{\n  "title": "x",\n  oops: 1\n}'


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("https://rexvet.org/problems/")
    return body


async def test_the_body_sent_as_json_is_accepted(endpoint: JsonEndpoint) -> None:
    response = await endpoint.send(json.dumps(endpoint.body).encode(), "application/json")
    assert response.status_code == endpoint.accepted_status, response.text


async def test_malformed_json_is_400_naming_line_and_column(endpoint: JsonEndpoint) -> None:
    body = problem(await endpoint.send(MALFORMED, "application/json"), 400)
    assert body["code"] == "not_json" and body["title"] == "Malformed JSON"
    assert (body["line"], body["column"]) == (3, 3), body
    assert "line 3, column 3" in body["detail"] and "property name" in body["detail"], body["detail"]


async def test_malformed_json_with_a_charset_parameter_is_still_400(endpoint: JsonEndpoint) -> None:
    body = problem(await endpoint.send(b'{"title": ', "application/json; charset=utf-8"), 400)
    assert (body["line"], body["column"]) == (1, 11), body


async def test_a_body_that_is_not_utf8_is_400(endpoint: JsonEndpoint) -> None:
    body = problem(await endpoint.send(b'{"title": "\xff"}', "application/json"), 400)
    assert body["code"] == "not_json" and "0xff is not UTF-8" in body["detail"], body
    assert (body["line"], body["column"]) == (1, 12), body


async def test_json_sent_as_another_media_type_is_415(endpoint: JsonEndpoint) -> None:
    body = problem(await endpoint.send(json.dumps(endpoint.body).encode(), "text/plain"), 415)
    assert body["code"] == "unsupported_media_type"
    assert "application/json" in body["accepted"] and "application/json" in body["detail"], body


async def test_json_sent_without_a_content_type_is_415(endpoint: JsonEndpoint) -> None:
    body = problem(await endpoint.send(json.dumps(endpoint.body).encode(), None), 415)
    assert "application/json" in body["detail"], body


async def test_a_multipart_form_to_a_json_endpoint_is_415(endpoint: JsonEndpoint) -> None:
    fields = {key: str(value) for key, value in endpoint.body.items()}
    response = await endpoint.client.request(
        endpoint.method, endpoint.path, data=fields, files={"file": ("x.json", b"{}")}, headers=endpoint.headers
    )
    problem(response, 415)
