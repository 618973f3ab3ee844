"""`/healthz` (the process is alive) and `/readyz` (every configured backend answers its ping)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from rexvet_common.problems import PROBLEM_MEDIA_TYPE, ServiceUnavailable


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        summary="Every configured backend is reachable",
        responses={503: {"description": "a backend is unreachable", "content": {PROBLEM_MEDIA_TYPE: {}}}},
    )
    async def readyz(request: Request) -> Any:
        runtime = getattr(request.app.state, "runtime", None)
        if runtime is None:
            problem = ServiceUnavailable("the service is still starting", checks={})
            return JSONResponse(problem.body(request.url.path), status_code=503, media_type=PROBLEM_MEDIA_TYPE)
        checks = await runtime.readiness()
        if all(state == "ok" for state in checks.values()):
            return {"status": "ready", "checks": checks}
        failing = sorted(name for name, state in checks.items() if state != "ok")
        problem = ServiceUnavailable(f"not ready: {', '.join(failing)} unreachable", checks=checks)
        return JSONResponse(problem.body(request.url.path), status_code=503, media_type=PROBLEM_MEDIA_TYPE)

    return router
