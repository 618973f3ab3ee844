"""RFC 9457 answers: the status, the media type and the body's members, checked the same way everywhere."""

from __future__ import annotations

from typing import Any

import httpx

from rexvet_common.problems import PROBLEM_MEDIA_TYPE


def assert_problem(
    response: httpx.Response, status: int, detail_part: str = "", *, code: str | None = None
) -> dict[str, Any]:
    """The problem document of `response`, after checking it has `status`, the problem media type, a URL `type`,
    `detail_part` in its detail and, when given, its `code`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("https://"), body
    assert detail_part in body.get("detail", ""), body
    if code is not None:
        assert body.get("code") == code, body
    return body
