"""`make run`: the services as separate processes on 127.0.0.1, embedded backends, data under ./var/.

Ctrl-C (SIGINT) or SIGTERM stops every service (SIGTERM, then SIGKILL after a grace period) and the runner exits
only when none is left. Ports: `REXVET_<SERVICE>_PORT` (8000 portal, 8001 evidence, 8002 coaching, 8003 issuer,
8004 verifier).
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from rexvet_common.errors import ConfigurationError

STARTUP_TIMEOUT_SECONDS = 90.0
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    app: str
    settings_loader: str  # module:function, checked before any process starts
    default_port: int

    @property
    def prefix(self) -> str:
        return f"REXVET_{self.name.upper()}_"

    def host(self, env: dict[str, str]) -> str:
        return env.get(self.prefix + "HOST", "127.0.0.1")

    def port(self, env: dict[str, str]) -> int:
        return int(env.get(self.prefix + "PORT", self.default_port))

    def url(self, env: dict[str, str]) -> str:
        return f"http://{self.host(env)}:{self.port(env)}"


SERVICES = (
    # The portal first: its URL is the one people open, so the banner prints it first.
    ServiceSpec("portal", "rexvet_portal.app:app", "rexvet_portal.settings:load_portal_settings", 8000),
    ServiceSpec("evidence", "rexvet_evidence.app:app", "rexvet_evidence.settings:load_evidence_settings", 8001),
    ServiceSpec("coaching", "rexvet_coaching.app:app", "rexvet_coaching.settings:load_coaching_settings", 8002),
    ServiceSpec("issuer", "rexvet_issuer.app:app", "rexvet_issuer.settings:load_issuer_settings", 8003),
    ServiceSpec("verifier", "rexvet_verifier.app:app", "rexvet_verifier.settings:load_verifier_settings", 8004),
)


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    issuer = next(spec for spec in SERVICES if spec.name == "issuer")
    # Tokens name the issuer that signed them; every service must expect the one actually running.
    env.setdefault("REXVET_AUTH_ISSUER", issuer.url(env))
    env.setdefault("REXVET_DATA_DIR", "var")
    # The services call each other on loopback (the JWKS): never through a proxy set for the outside world.
    for name in ("NO_PROXY", "no_proxy"):
        listed = [host for host in env.get(name, "").split(",") if host]
        env[name] = ",".join(listed + [host for host in ("127.0.0.1", "localhost") if host not in listed])
    return env


def configuration_problems(env: dict[str, str]) -> list[str]:
    """Each service's settings as its process will read them; a refusal here beats four tracebacks later."""
    problems = []
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        for spec in SERVICES:
            module_name, _, function = spec.settings_loader.partition(":")
            try:
                getattr(importlib.import_module(module_name), function)()
            except ConfigurationError as exc:
                problems.append(f"{spec.name}: {exc}")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return problems


class Runner:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()

    def start(self) -> None:
        Path(self.env["REXVET_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        for spec in SERVICES:
            command = [sys.executable, "-m", "rexvet_common.serve", spec.app, "--watch-parent"]
            command += ["--host", spec.host(self.env), "--port", str(spec.port(self.env))]
            # Own session: a terminal's Ctrl-C reaches only the runner, which then stops the services in order.
            self.children[spec.name] = subprocess.Popen(command, env=self.env, start_new_session=True)

    def wait_healthy(self) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        pending = {spec.name: spec.url(self.env) + "/healthz" for spec in SERVICES}
        while pending and not self.stopping.is_set() and time.monotonic() < deadline:
            if self.exited():
                return False
            for name, url in list(pending.items()):
                if _answers(url):
                    del pending[name]
            time.sleep(0.2)
        if pending and not self.stopping.is_set():
            print(f"rexvet: not healthy after {STARTUP_TIMEOUT_SECONDS:g}s: {', '.join(pending)}", file=sys.stderr)
        return not pending

    def exited(self) -> list[str]:
        return [name for name, child in self.children.items() if child.poll() is not None]

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


# The services listen on loopback: a proxy from the environment must not be asked for them.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _answers(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=1.0) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _url(name: str, env: dict[str, str]) -> str:
    return next(spec for spec in SERVICES if spec.name == name).url(env)


def _banner(env: dict[str, str]) -> str:
    backends = ", ".join(
        f"{port}={env.get('REXVET_' + port.upper(), default)}"
        for port, default in (("bus", "embedded"), ("documents", "sqlite"), ("blobs", "local"))
    )
    lines = ["", f"rexvet is running ({backends}; data in {env['REXVET_DATA_DIR']}):"]
    for spec in SERVICES:
        lines.append(f"  {spec.name:<9} {spec.url(env)}   (API docs: {spec.url(env)}/docs)")
    if env.get("REXVET_ENV", "development") == "production":
        return "\n".join([*lines, "", "Press Ctrl-C to stop.", ""])
    lines += [
        "",
        f"Open {_url('portal', env)} and sign in on the development sign-in page (any institution, person and roles).",
        "",
        "A development token for a staff member:",
        "  TOKEN=$(uv run --frozen rexvet auth dev-token --tenant demo --sub alice --roles staff \\",
        "          --scope evidence:write evidence:read coaching:read)",
        "Submit evidence and see coaching record it:",
        f'  curl -s -X POST {_url("evidence", env)}/v1/evidence -H "Authorization: Bearer $TOKEN" \\',
        "       -H 'Content-Type: application/json' -d '{\"title\": \"Hosted a guest from Estonia\"}'",
        f'  curl -s {_url("coaching", env)}/v1/staff/alice/evidence -H "Authorization: Bearer $TOKEN"',
        "",
        "Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    env = child_environment()
    problems = configuration_problems(env)
    if problems:
        print("rexvet: cannot start, the configuration is refused:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    runner = Runner(env)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        runner.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    runner.start()
    try:
        if runner.wait_healthy():
            print(_banner(runner.env), flush=True)
            while not runner.stopping.is_set():
                dead = runner.exited()
                if dead:
                    print(f"rexvet: {', '.join(dead)} stopped unexpectedly; stopping the others", file=sys.stderr)
                    return 1
                runner.stopping.wait(0.5)
        elif not runner.stopping.is_set():
            dead = runner.exited()
            if dead:
                print(f"rexvet: {', '.join(dead)} failed to start (see its log above)", file=sys.stderr)
            return 1
        return 0
    finally:
        print("rexvet: stopping the services...", file=sys.stderr, flush=True)
        runner.stop()
        print("rexvet: stopped", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
