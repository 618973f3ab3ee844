"""Limits before work: a body is read within its route's limit, and not at all before a missing token is refused.

On main 66e70ab evidence, coaching and issuer read a JSON body of any size before checking the token: 300 MB with no
token took evidence from 354 to 954 MB (issue 15). The bodies here are generators that count what the service pulls,
so the tests assert how much was read, not how long it took.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
from fastapi import Depends, FastAPI

from rexvet_common.http.edge import DEFAULT_MAX_BODY_BYTES, BodyLimit, RequestEdge
from rexvet_common.problems import install_problem_handlers

from .conftest import JsonEndpoint
from .test_json_bodies import problem

MIB = 1024 * 1024
HUGE = 300 * MIB


@dataclass
class CountingBody:
    """`total` bytes of a JSON string, yielded a MiB at a time; `sent` is how much the service pulled."""

    total: int
    sent: int = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunk = b'{"title": "' + b"x" * (MIB - 11)
        while self.sent < self.total:
            self.sent += len(chunk)
            yield chunk
            chunk = b"x" * MIB


async def test_300_mb_without_a_token_is_401_before_the_body_is_read(guarded_endpoint: JsonEndpoint) -> None:
    endpoint = guarded_endpoint  # the verifier's endpoints are public: see the limit test below
    body = CountingBody(HUGE)
    response = await endpoint.client.request(
        endpoint.method, endpoint.path, content=body, headers={"Content-Type": "application/json"}
    )
    problem(response, 401)
    assert body.sent <= MIB, f"{body.sent} bytes were read before the missing token was refused"


async def test_a_bad_token_is_401_before_the_body_is_read(guarded_endpoint: JsonEndpoint) -> None:
    endpoint = guarded_endpoint
    body = CountingBody(HUGE)
    headers = {"Content-Type": "application/json", "Authorization": "Bearer not.a.token"}
    problem(await endpoint.client.request(endpoint.method, endpoint.path, content=body, headers=headers), 401)
    assert body.sent <= MIB


async def test_300_mb_with_a_token_is_413_once_the_limit_is_passed(endpoint: JsonEndpoint) -> None:
    body = CountingBody(HUGE)
    headers = {**endpoint.headers, "Content-Type": "application/json"}
    response = await endpoint.client.request(endpoint.method, endpoint.path, content=body, headers=headers)
    answer = problem(response, 413)
    limit = answer["max_bytes"]
    assert limit in (DEFAULT_MAX_BODY_BYTES, 5 * MIB), answer  # the verifier keeps its own, larger default
    assert body.sent <= limit + MIB, f"{body.sent} bytes were read past a limit of {limit}"


async def test_a_declared_length_past_the_limit_is_413_without_reading(endpoint: JsonEndpoint) -> None:
    body = CountingBody(HUGE)
    headers = {**endpoint.headers, "Content-Type": "application/json", "Content-Length": str(HUGE)}
    problem(await endpoint.client.request(endpoint.method, endpoint.path, content=body, headers=headers), 413)
    assert body.sent <= MIB


def tiny_service() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RequestEdge, service=app)

    @app.post("/small", dependencies=[Depends(BodyLimit(2048))])
    async def small(body: dict[str, str]) -> dict[str, int]:
        return {"keys": len(body)}

    @app.post("/default")
    async def default(body: dict[str, str]) -> dict[str, int]:
        return {"keys": len(body)}

    return app


async def test_a_route_sets_its_own_limit_and_the_others_keep_the_default() -> None:
    transport = httpx.ASGITransport(app=tiny_service())
    async with httpx.AsyncClient(transport=transport, base_url="http://tiny.test") as client:
        three_kib = {"text": "x" * 3000}
        assert (await client.post("/small", json={"text": "x" * 1000})).status_code == 200
        answer = problem(await client.post("/small", json=three_kib), 413)
        assert answer["max_bytes"] == 2048 and "2048" in answer["detail"]
        assert (await client.post("/default", json=three_kib)).status_code == 200
        problem(await client.post("/default", json={"text": "x" * DEFAULT_MAX_BODY_BYTES}), 413)
