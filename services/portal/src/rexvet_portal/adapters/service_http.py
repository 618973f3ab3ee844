"""What every typed client of a service shares: one httpx client, the person's bearer token, the errors mapped.

A service's RFC 9457 problem becomes the portal's error of the same meaning; a service that does not answer, or
answers 5xx, is `ServiceDown` (the page says which service), never a stack trace.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

import httpx

from rexvet_portal.application.caller_language import CALLER_LANGUAGE
from rexvet_portal.application.errors import NotAllowed, NotFoundThere, Refused, ServiceDown, SignInNeeded

PAGE_SIZE = 200  # the largest page the services' listings give (their `limit` goes up to 200): the fewest calls


class ServiceHttp:
    def __init__(self, name: str, base_url: str, http: httpx.AsyncClient) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.http = http

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        content: AsyncIterable[bytes] | None = None,
        content_type: str | None = None,
    ) -> Any:
        """`content` streams a body (a file) as it arrives, with its `content_type`, instead of a JSON body."""
        headers = {"Accept": "application/json"}
        language = CALLER_LANGUAGE.get()
        if language is not None:
            headers["Accept-Language"] = language  # the framework's texts in the page's language
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if content_type is not None:
            headers["Content-Type"] = content_type
        try:
            response = await self.http.request(
                method, self.base_url + path, headers=headers, json=json, params=params, content=content
            )
        except httpx.HTTPError as exc:
            raise ServiceDown(self.name, f"no answer from {self.base_url} ({type(exc).__name__})") from exc
        if response.status_code < 400:
            return response.json() if response.content else None
        detail = _detail(response)
        if response.status_code == 401:
            raise SignInNeeded(self.name, detail)
        if response.status_code == 403:
            raise NotAllowed(self.name, detail)
        if response.status_code == 404:
            raise NotFoundThere(self.name, detail)
        if response.status_code >= 500:
            raise ServiceDown(self.name, f"answered {response.status_code}: {detail}")
        raise Refused(self.name, detail, response.status_code, _field_errors(response))

    async def pages(self, path: str, *, token: str) -> AsyncIterator[Any]:
        """Each page of a listing that pages by cursor (`items`, `next_cursor`), from the first to the last."""
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": PAGE_SIZE} | ({"cursor": cursor} if cursor else {})
            body = await self.call("GET", path, token=token, params=params)
            yield body
            cursor = body.get("next_cursor")
            if not cursor:
                return


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(response: httpx.Response) -> str:
    body = _problem(response)
    return str(body.get("detail") or body.get("title") or f"status {response.status_code}")


def _field_errors(response: httpx.Response) -> dict[str, str]:
    """The services' validation problems list `errors` as {location: "body.coach_id", message}: by field name."""
    errors: dict[str, str] = {}
    for error in _problem(response).get("errors", []) or []:
        if isinstance(error, dict) and error.get("location"):
            errors[str(error["location"]).rsplit(".", 1)[-1]] = str(error.get("message", ""))
    return errors


class ServiceClient:
    """A typed client of one service's API (coaching, its people directory, evidence, the issuer): its calls go
    through the one `ServiceHttp` of that service."""

    def __init__(self, http: ServiceHttp) -> None:
        self.http = http
