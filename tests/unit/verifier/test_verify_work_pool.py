"""CPU-heavy work (baked images, credentials with many objects) goes to the work pool, not the event loop: the
health check answers while a heavy verification is in flight, and the pool's own processes do the work."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import png
import pytest

from rexvet_credentials.baking import bake_png
from rexvet_verifier.adapters.work_pool import ExecutorPool
from rexvet_verifier.application.verification import work_estimate

from .credentials import ob3_credential, signed
from .harness import WAIT_SECONDS, assert_problem, checks_by_id, verifier_service

pytestmark = pytest.mark.unit

T = TypeVar("T")


class HeldPool:
    """Our work-pool port: records each job and runs it (in threads) only once the test lets it."""

    def __init__(self) -> None:
        self.inner = ExecutorPool("thread", 2)
        self.jobs: list[str] = []
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def run(self, work: Callable[..., T], *args: object) -> T:
        self.jobs.append(work.__name__)
        self.entered.set()
        await self.release.wait()
        return await self.inner.run(work, *args)

    def close(self) -> None:
        self.inner.close()


def busy_credential(objects: int = 1500) -> dict[str, Any]:
    """Many JSON objects without ids: each one a blank node to canonicalise (the issue's 6,200-node credentials)."""
    evidence = [{"type": ["Evidence"], "name": f"Hosted guest {i}", "narrative": "A day"} for i in range(objects)]
    return signed(ob3_credential(evidence=evidence))


def png_image() -> bytes:
    out = io.BytesIO()
    png.Writer(width=2, height=2, greyscale=True).write(out, [[0, 255], [255, 0]])
    return out.getvalue()


def png_with_empty_chunks(count: int) -> bytes:
    chunks = list(png.Reader(bytes=png_image()).chunks())
    padding = [(b"zzZz", b"")] * count  # ancillary, private, safe to copy: any reader must skip them
    out = io.BytesIO()
    png.write_chunks(out, [chunks[0], *padding, *chunks[1:]])
    return out.getvalue()


async def test_a_busy_credential_is_prepared_in_the_pool_while_health_checks_answer(tmp_path: Path) -> None:
    pool = HeldPool()
    credential = busy_credential()
    body = json.dumps(credential, separators=(",", ":")).encode()
    assert len(body) < 128 * 1024 and work_estimate(body) > 400  # heavy by its work, not by its size
    async with verifier_service(tmp_path, pool=pool) as service:
        verifying = asyncio.create_task(service.client.post("/v1/verify", json=credential))
        await asyncio.wait_for(pool.entered.wait(), WAIT_SECONDS)
        health = await service.client.get("/healthz")
        assert health.status_code == 200
        assert not verifying.done()  # answered while the heavy verification waits in the pool
        pool.release.set()
        response = await asyncio.wait_for(verifying, WAIT_SECONDS)
    assert response.status_code == 200 and response.json()["outcome"] == "verified", response.text
    assert pool.jobs == ["presented_from_body", "prepare_credential"]  # decoded, then canonicalised, both there


async def test_a_small_credential_does_not_wait_for_the_pool(tmp_path: Path) -> None:
    pool = HeldPool()  # never released: a job sent here would hang the test
    async with verifier_service(tmp_path, pool=pool) as service:
        report = await service.verify_json(signed())
    assert report["outcome"] == "verified" and pool.jobs == []


async def test_a_baked_png_is_read_in_the_pool(tmp_path: Path) -> None:
    pool = HeldPool()
    image = bake_png(png_image(), json.dumps(signed()))
    async with verifier_service(tmp_path, pool=pool) as service:
        verifying = asyncio.create_task(
            service.client.post("/v1/verify", content=image, headers={"Content-Type": "image/png"})
        )
        await asyncio.wait_for(pool.entered.wait(), WAIT_SECONDS)
        assert (await service.client.get("/healthz")).status_code == 200
        assert not verifying.done()
        pool.release.set()
        response = await asyncio.wait_for(verifying, WAIT_SECONDS)
    assert response.json()["outcome"] == "verified", response.text
    assert pool.jobs == ["presented_from_body"]  # read once; the verification gets the credential it carries


async def test_the_process_pool_verifies_heavy_input_and_refuses_a_png_of_too_many_chunks(tmp_path: Path) -> None:
    async with verifier_service(tmp_path, cpu_pool="process", cpu_workers=1) as service:
        credential = busy_credential()
        assert (await service.verify_json(credential))["outcome"] == "verified"
        credential["evidence"][700]["name"] = "Changed after signing"
        tampered = await service.verify_json(credential)
        assert checks_by_id(tampered)["proof"]["code"] == "signature_invalid"

        baked = bake_png(png_image(), json.dumps(signed()))
        response = await service.client.post("/v1/verify", content=baked, headers={"Content-Type": "image/png"})
        assert response.json()["outcome"] == "verified"

        chunky = png_with_empty_chunks(20_000)
        refused = await service.client.post("/v1/verify", content=chunky, headers={"Content-Type": "image/png"})
        assert_problem(refused, 400, "too_many_chunks")
