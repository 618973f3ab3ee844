"""Counting the portal's calls to the other services: each of OUR ports wrapped in a recorder that passes every call
on to the real client and notes (port, method), so a test asserts how many calls a page makes, never how long."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

PORTS = ("coaching", "evidence", "issuer", "directory")


class RecordingPort:
    """Stands in for one port object; the use cases keep calling it as before."""

    def __init__(self, name: str, port: object, log: list[tuple[str, str]]) -> None:
        self._name = name
        self._port = port
        self._log = log

    def __getattr__(self, method: str) -> Any:
        target = getattr(self._port, method)
        if not callable(target):
            return target

        async def recorded(*args: Any, **kwargs: Any) -> Any:
            self._log.append((self._name, method))
            return await target(*args, **kwargs)

        return recorded


def record_calls(portal: FastAPI) -> list[tuple[str, str]]:
    """Wraps every port the portal's use cases hold; the list fills as pages call them (clear it between pages)."""
    log: list[tuple[str, str]] = []
    wrapped: dict[int, RecordingPort] = {}
    context = portal.state.runtime.context
    for use_case in vars(context).values():
        for name in PORTS:
            port = getattr(use_case, name, None)
            if port is None or isinstance(port, RecordingPort):
                continue
            recorder = wrapped.setdefault(id(port), RecordingPort(name, port, log))
            setattr(use_case, name, recorder)
    return log
