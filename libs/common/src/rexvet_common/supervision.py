"""Services as supervised processes on one machine: what `make run` does, for whichever services it is given.

The supervisor starts each service in its own process group and restarts one that dies after the platform came up,
after a delay that doubles with each quick crash (1 s up to 30 s, back to 1 s once it had stayed up a minute), and
says so. A service that dies before the platform first answered is a start failure: the others are stopped and the
run exits 1. Signals go to the whole group, so nothing a service started outlives it. Ctrl-C (SIGINT) or SIGTERM
stops every service (SIGTERM, then SIGKILL after a grace period) and the run ends only when none is left.

This module knows no service by name: the platform's composition (which services, their ports, the banner) is the
CLI's (`rexvet_cli.platform`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

from rexvet_common.errors import ConfigurationError
from rexvet_common.settings import service_scheme

STARTUP_TIMEOUT_SECONDS = 90.0
STOP_GRACE_SECONDS = 10.0
SUPERVISE_INTERVAL_SECONDS = 0.5


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    app: str
    settings_loader: Callable[[], object]  # the service's settings from the environment, checked before it starts
    default_port: int

    @property
    def prefix(self) -> str:
        return f"REXVET_{self.name.upper()}_"

    def host(self, env: dict[str, str]) -> str:
        return env.get(self.prefix + "HOST", "127.0.0.1")

    def port(self, env: dict[str, str]) -> int:
        return int(env.get(self.prefix + "PORT", self.default_port))

    def url(self, env: dict[str, str]) -> str:
        return f"{service_scheme(env)}://{self.host(env)}:{self.port(env)}"


def configuration_problems(services: Sequence[ServiceSpec], env: dict[str, str]) -> list[str]:
    """Each service's settings as its process will read them; a refusal here beats four tracebacks later."""
    problems = []
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        for spec in services:
            try:
                spec.settings_loader()
            except ConfigurationError as exc:
                problems.append(f"{spec.name}: {exc}")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return problems


@dataclass
class RestartBackoff:
    """How long to wait before restarting a crashed service: long enough that a crash loop does not spin the machine,
    short for the first crash, and forgiven once the service has run well for a while."""

    first_seconds: float = 1.0
    ceiling_seconds: float = 30.0
    stable_after_seconds: float = 60.0
    _next_seconds: float = field(init=False)

    def __post_init__(self) -> None:
        self._next_seconds = self.first_seconds

    def after_crash(self, uptime_seconds: float) -> float:
        if uptime_seconds >= self.stable_after_seconds:
            self._next_seconds = self.first_seconds
        delay = self._next_seconds
        self._next_seconds = min(delay * 2, self.ceiling_seconds)
        return delay


class SupervisedService:
    """One service's process, in its own process group (uvicorn and anything it starts), restarted when it dies.

    `output`: where its stdout and stderr go (the runner's own by default; a test's chaos drill gives a log file)."""

    def __init__(self, spec: ServiceSpec, env: dict[str, str], *, output: IO[bytes] | None = None) -> None:
        self.spec = spec
        self.env = env
        self.output = output
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.backoff = RestartBackoff()
        self.restart_at: float | None = None
        self.awaiting_health = False

    def start(self) -> None:
        command = [sys.executable, "-m", "rexvet_common.serve", self.spec.app, "--watch-parent"]
        command += ["--host", self.spec.host(self.env), "--port", str(self.spec.port(self.env))]
        # Own session and process group: a terminal's Ctrl-C reaches only the runner, which stops the services in
        # order, and stopping the group reaches whatever the service started.
        self.process = subprocess.Popen(
            command, env=self.env, start_new_session=True, stdout=self.output, stderr=self.output
        )
        self.started_at = time.monotonic()

    def has_exited(self) -> bool:
        """Whether the process has ended, without reaping it: until it is reaped its group id cannot be reused."""
        if self.process is None or self.process.returncode is not None:
            return True
        return os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None

    def reap(self) -> int:
        """Kill what is left of the process group (children of a crashed service), then collect the exit status."""
        assert self.process is not None
        _signal_group(self.process.pid, signal.SIGKILL)
        return self.process.wait()

    def supervise(self, now: float) -> None:
        """One look: notice a crash and schedule the restart, restart when it is due, report when it answers again."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                self.start()
                self.awaiting_health = True
                _say(f"{self.spec.name} restarted (pid {self.pid})")
        elif self.has_exited():
            self._schedule_restart(now)
        elif self.awaiting_health and _answers(self.spec.url(self.env) + "/healthz"):
            self.awaiting_health = False
            _say(f"{self.spec.name} is answering again (pid {self.pid})")

    def _schedule_restart(self, now: float) -> None:
        pid, code, uptime = self.pid, self.reap(), now - self.started_at
        self.process = None
        delay = self.backoff.after_crash(uptime)
        self.restart_at = now + delay
        at = time.strftime("%H:%M:%S", time.localtime(time.time() + delay))
        _say(
            f"{self.spec.name} (pid {pid}) {_describe_exit(code)} after {uptime:.0f}s; "
            f"restarting it in {delay:g}s (at {at})"
        )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def terminate(self) -> None:
        if self.process is not None and not self.has_exited():
            _signal_group(self.process.pid, signal.SIGTERM)

    def wait_stopped(self, deadline: float) -> None:
        """Wait for the process until the deadline, then SIGKILL its whole group (a straggler included) and reap."""
        if self.process is None:
            return
        while not self.has_exited() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.reap()
        self.process = None


class Runner:
    def __init__(self, services: Sequence[ServiceSpec], env: dict[str, str]) -> None:
        self.env = env
        self.specs = tuple(services)
        self.services = [SupervisedService(spec, env) for spec in self.specs]
        self.stopping = threading.Event()

    def start(self) -> None:
        Path(self.env["REXVET_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        for service in self.services:
            service.start()

    def wait_healthy(self) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        pending = {spec.name: spec.url(self.env) + "/healthz" for spec in self.specs}
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
        return [service.spec.name for service in self.services if service.has_exited()]

    def supervise_until_stopped(self) -> None:
        while not self.stopping.is_set():
            for service in self.services:
                if not self.stopping.is_set():
                    service.supervise(time.monotonic())
            self.stopping.wait(SUPERVISE_INTERVAL_SECONDS)

    def stop(self) -> None:
        for service in self.services:
            service.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for service in self.services:
            service.wait_stopped(deadline)


def _signal_group(leader: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group is already empty
        os.killpg(leader, signum)


def _describe_exit(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


def _say(message: str) -> None:
    print(f"rexvet: {message}", file=sys.stderr, flush=True)


# The services listen on loopback: a proxy from the environment must not be asked for them.
# Over https (REXVET_TLS_CERT_FILE) the certificate is not checked here: the runner asks its own children on
# loopback whether they are up, which says nothing about the certificate's trust (often self-signed in development).
_OWN_CHILDREN_TLS = ssl.create_default_context()
_OWN_CHILDREN_TLS.check_hostname = False
_OWN_CHILDREN_TLS.verify_mode = ssl.CERT_NONE
_DIRECT = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=_OWN_CHILDREN_TLS)
)


def _answers(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=1.0) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def run(services: Sequence[ServiceSpec], env: dict[str, str], banner: Callable[[dict[str, str]], str]) -> int:
    """Check every service's configuration, start them, print `banner` once all answer, supervise until a signal."""
    problems = configuration_problems(services, env)
    if problems:
        print("rexvet: cannot start, the configuration is refused:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    runner = Runner(services, env)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        runner.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    runner.start()
    try:
        if runner.wait_healthy():
            print(banner(runner.env), flush=True)
            runner.supervise_until_stopped()
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
