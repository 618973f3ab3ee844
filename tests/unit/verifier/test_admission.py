"""Admission by event-loop lag (`rexvet_verifier/api/admission.py`): the cap's arithmetic, the order of turns, the
refusal after `max_wait`, the watch that shrinks the cap when the loop runs late, and the edge that holds a
verification back while the health check is answered."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest

from rexvet_verifier.api.admission import AdmissionTimeout, LagAdmission, LagControl

from .credentials import signed
from .harness import assert_problem, verifier_service

pytestmark = pytest.mark.unit


def test_the_cap_starts_at_its_maximum_shrinks_by_a_quarter_when_late_and_grows_by_one_while_requests_wait() -> None:
    control = LagControl(target_lag=0.01, minimum=4, maximum=64)
    assert control.slots == 64  # not overloaded: nothing held back
    control.observe(0.05, waiting=False)
    assert control.slots == 48
    for _ in range(40):
        control.observe(0.05, waiting=True)
    assert control.slots == 4  # never below the minimum
    control.observe(0.001, waiting=False)
    assert control.slots == 4  # on time but nobody waits: no reason to grow
    for _ in range(3):
        control.observe(0.001, waiting=True)
    assert control.slots == 7
    for _ in range(200):
        control.observe(0.0, waiting=True)
    assert control.slots == 64  # never above the maximum


def test_a_minimum_above_the_maximum_is_refused() -> None:
    with pytest.raises(ValueError, match="minimum"):
        LagControl(target_lag=0.01, minimum=8, maximum=4)


async def test_beyond_the_cap_requests_wait_and_get_their_turns_in_order_of_arrival() -> None:
    admission = LagAdmission(LagControl(target_lag=0.01, minimum=1, maximum=1), max_wait=5)
    order: list[str] = []
    first_in = asyncio.Event()
    release_first = asyncio.Event()

    async def request(name: str, hold: asyncio.Event | None = None) -> None:
        async with admission.turn():
            order.append(name)
            if hold is not None:
                first_in.set()
                await hold.wait()

    first = asyncio.create_task(request("first", release_first))
    await first_in.wait()
    later = [asyncio.create_task(request(name)) for name in ("second", "third", "fourth")]
    await asyncio.sleep(0.01)
    assert order == ["first"] and admission.waiting == 3 and admission.running == 1
    release_first.set()
    await asyncio.gather(first, *later)
    assert order == ["first", "second", "third", "fourth"]
    assert admission.running == 0 and admission.waiting == 0


async def test_a_request_that_waits_longer_than_max_wait_is_refused_and_holds_nothing() -> None:
    admission = LagAdmission(LagControl(target_lag=0.01, minimum=1, maximum=1), max_wait=0.05)
    release = asyncio.Event()

    async def holder() -> None:
        async with admission.turn():
            await release.wait()

    holding = asyncio.create_task(holder())
    await asyncio.sleep(0)
    with pytest.raises(AdmissionTimeout, match="no turn within"):
        async with admission.turn():
            pytest.fail("admitted beyond the cap")
    release.set()
    await holding
    assert admission.running == 0
    async with admission.turn():  # the refused one left no slot taken and no waiter behind
        assert admission.running == 1


async def test_a_request_that_finds_max_waiting_others_waiting_is_refused_at_once() -> None:
    admission = LagAdmission(LagControl(target_lag=0.01, minimum=1, maximum=1), max_wait=5, max_waiting=2)
    release = asyncio.Event()

    async def request() -> None:
        async with admission.turn():
            await release.wait()

    tasks = [asyncio.create_task(request()) for _ in range(3)]  # one in, two waiting
    await asyncio.sleep(0.01)
    assert admission.running == 1 and admission.waiting == 2
    with pytest.raises(AdmissionTimeout, match="2 requests are waiting already"):
        async with admission.turn():
            pytest.fail("admitted beyond the queue's bound")
    release.set()
    await asyncio.gather(*tasks)
    assert admission.running == 0 and admission.waiting == 0


async def test_a_waiter_cancelled_as_it_is_handed_its_turn_leaves_no_turn_taken() -> None:
    admission = LagAdmission(LagControl(target_lag=0.01, minimum=1, maximum=1), max_wait=5)
    admitted: list[str] = []

    async def request(name: str) -> None:
        async with admission.turn():
            admitted.append(name)

    async with admission.turn():
        doomed = asyncio.create_task(request("doomed"))
        patient = asyncio.create_task(request("patient"))
        await asyncio.sleep(0.01)
        assert admission.waiting == 2
    doomed.cancel()  # leaving the block handed the turn to "doomed"; it is cancelled before it runs
    # Python 3.11's wait_for lets a cancelled waiter through when its turn has come already, 3.12's does not:
    # either way the turn is not lost, and "patient" gets one after.
    await asyncio.gather(doomed, return_exceptions=True)
    await patient
    assert admitted[-1] == "patient" and set(admitted) <= {"doomed", "patient"}
    assert admission.running == 0 and admission.waiting == 0


async def test_the_watch_shrinks_the_cap_while_the_event_loop_is_held() -> None:
    admission = LagAdmission(LagControl(target_lag=0.01, minimum=2, maximum=64), interval=0.005)
    await admission.start()
    try:
        for _ in range(5):
            time.sleep(0.05)  # noqa: ASYNC251 - the point: a turn of the loop that takes 50 ms
            await asyncio.sleep(0.01)
        assert admission.control.slots < 64
    finally:
        await admission.stop()
    assert admission.control.slots >= 2


async def test_at_the_edge_a_verification_waits_its_turn_while_health_checks_are_answered(tmp_path: Path) -> None:
    async with verifier_service(
        tmp_path, admission_min_concurrency=1, admission_max_concurrency=1, admission_max_wait_seconds=0.2
    ) as service:
        admission = service.app.state.runtime.context.admission
        assert admission is not None
        async with admission.turn():  # the one turn is taken, as by a verification in progress
            assert (await service.client.get("/healthz")).status_code == 200
            refused = await service.client.post("/v1/verify", json=signed())
            body = assert_problem(refused, 503, "overloaded")
            assert refused.headers["Retry-After"] == "5"
            assert body["retry_after"] == 5
        answered = await service.client.post("/v1/verify", json=signed())
        assert answered.status_code == 200 and answered.json()["outcome"] == "verified"


async def test_a_client_that_went_away_while_waiting_its_turn_is_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # wrk closing its connections at the end of a run: the admitted request then reads a disconnect, not a body
    async with verifier_service(tmp_path) as service:
        sent: list[MutableMapping[str, Any]] = []

        async def receive() -> MutableMapping[str, Any]:
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/v1/verify",
            "raw_path": b"/v1/verify",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"2048")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
            "app": service.app,
        }
        with caplog.at_level(logging.INFO):
            await service.app(scope, receive, send)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert any("went away before its request was read" in record.getMessage() for record in caplog.records)
