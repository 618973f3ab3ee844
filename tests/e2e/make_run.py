"""`make run` driven as a user drives it, for the end-to-end tests: the portal and the four services on free ports,
tokens from the CLI, Ctrl-C at the end, and a check that nothing is left running."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

# The services are on loopback: whatever proxy the environment names is not in the way.
LOOPBACK = httpx.Client(trust_env=False, timeout=10.0)

SERVICES = ("portal", "evidence", "coaching", "issuer", "verifier")
STARTUP_SECONDS = 240.0  # includes `uv sync` on a cold machine
STOP_SECONDS = 60.0


def user_environment() -> dict[str, str]:
    """The environment a user's shell would have: no rexvet settings, and no outer make's flags (`make test`)."""
    outer_make = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    return {
        name: value for name, value in os.environ.items() if not name.startswith("REXVET_") and name not in outer_make
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def processes_marked(marker: str) -> list[int]:
    """Every live process whose environment carries the marker this test gave `make run`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if state != "Z" and f"REXVET_E2E_MARKER={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"{what} did not happen within {seconds:g}s; make run's output:\n{log.read_text()[-5000:]}")


def answers(url: str) -> bool:
    try:
        return LOOPBACK.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Platform:
    repo_root: Path
    env: dict[str, str]
    urls: dict[str, str]
    log: Path
    marker: str

    def token(self, tenant: str, sub: str, roles: list[str], scopes: list[str]) -> dict[str, str]:
        """A development token from the CLI, as the README tells a user to mint one; as request headers."""
        command = [sys.executable, "-m", "rexvet_cli.main", "auth", "dev-token", "--tenant", tenant, "--sub", sub]
        command += ["--roles", *roles, "--scope", *scopes]
        minted = subprocess.run(command, cwd=self.repo_root, env=self.env, capture_output=True, text=True, check=True)
        return {"Authorization": f"Bearer {minted.stdout.strip()}"}

    def wait_for(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        wait_for(condition, seconds, what, self.log)


@contextmanager
def make_run(repo_root: Path, tmp_path: Path, *, backends: dict[str, str] | None = None) -> Iterator[Platform]:
    """`make run` on free ports until the block ends, then Ctrl-C; fails if it does not stop or leaves a process."""
    marker = uuid.uuid4().hex
    ports = {service: free_port() for service in SERVICES}
    env = user_environment()
    env.update({f"REXVET_{service.upper()}_PORT": str(port) for service, port in ports.items()})
    urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    env.update(
        {
            # No REXVET_AUTH_ISSUER: the services and the CLI must agree on the issuer from its port alone, as a
            # user's platform on other ports does.
            "REXVET_DATA_DIR": str(tmp_path / "var"),
            # The portal on its free port: where it finds the services, and where the sign-in sends people back.
            "REXVET_PORTAL_COACHING_URL": urls["coaching"],
            "REXVET_PORTAL_ISSUER_URL": urls["issuer"],
            "REXVET_PORTAL_EVIDENCE_URL": urls["evidence"],
            "REXVET_PORTAL_VERIFIER_URL": urls["verifier"],
            "REXVET_ISSUER_OIDC_REDIRECT_URIS": urls["portal"] + "/auth/callback",
            "REXVET_LOG_FORMAT": "text",
            "REXVET_E2E_MARKER": marker,
        }
    )
    env.update(backends or {})
    log = tmp_path / "make-run.log"
    with log.open("wb") as output:
        # Its own process group, as a terminal gives it: Ctrl-C is SIGINT to the whole group.
        make = subprocess.Popen(
            ["make", "run"], cwd=repo_root, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:

        def all_answer() -> bool:
            # A runner that gave up (a service could not start) fails the test at once, with its output.
            if make.poll() is not None:
                pytest.fail(
                    f"make run ended (exit {make.returncode}) before every service answered:\n{log.read_text()[-5000:]}"
                )
            return all(answers(url + "/healthz") for url in urls.values())

        wait_for(all_answer, STARTUP_SECONDS, "all /healthz", log)
        wait_for(lambda: "Press Ctrl-C" in log.read_text(), 30, "the banner", log)
        yield Platform(repo_root, env, urls, log, marker)
    finally:
        with contextlib.suppress(ProcessLookupError):  # a test that stopped the runner itself: make has ended
            os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            pytest.fail(f"make run did not stop within {STOP_SECONDS:g}s of SIGINT:\n{log.read_text()[-5000:]}")
    wait_for(lambda: not processes_marked(marker), 10, "every process of make run ending", log)
    assert not any(answers(url + "/healthz") for url in urls.values())
    assert "rexvet: stopped" in log.read_text()
