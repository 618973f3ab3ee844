"""The runner's hold on a service's whole process group, with a real uvicorn serving an app that starts a child
which ignores SIGTERM: a crash takes the child down before the restart, and stopping leaves nothing behind."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from make_run import free_port

from rexvet_common.supervision import ServiceSpec, SupervisedService

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
SECONDS = 60.0


@pytest.fixture
def probe_dir(tmp_path: Path) -> Iterator[Path]:
    """Where the probe apps write their children's pids; whatever of them a failing test left alive is killed."""
    yield tmp_path
    for pid_file in tmp_path.glob("child-*.pid"):
        if pid_file.read_text() and alive(int(pid_file.read_text())):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie nobody has collected yet (the container's init may never do it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def gone(pid: int) -> bool:
    """Whether the process has ended, given the moment a SIGKILL takes to land."""
    deadline = time.monotonic() + SECONDS
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def probe_service(probe_dir: Path) -> SupervisedService:
    spec = ServiceSpec("probe", "group_probe_app:app", lambda: None, free_port())
    return SupervisedService(spec, {**os.environ, "PYTHONPATH": str(HERE), "GROUP_PROBE_DIR": str(probe_dir)})


def supervise_until(service: SupervisedService, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {SECONDS:g}s")
        service.supervise(time.monotonic())
        time.sleep(0.1)


def child_of(probe_dir: Path, leader: int | None) -> int:
    pid_file = probe_dir / f"child-{leader}.pid"
    deadline = time.monotonic() + SECONDS
    while not (pid_file.exists() and pid_file.read_text()):
        if time.monotonic() > deadline:
            pytest.fail(f"the probe app (pid {leader}) never started its child")
        time.sleep(0.1)
    return int(pid_file.read_text())


def test_a_crashed_services_children_die_before_it_is_restarted_and_stopping_leaves_nothing(
    probe_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = probe_service(probe_dir)
    service.start()
    try:
        first = service.pid
        assert first is not None
        first_child = child_of(probe_dir, first)
        os.kill(first, signal.SIGKILL)
        supervise_until(service, lambda: service.restart_at is not None, "noticing the crash")
        assert gone(first_child), "the crashed service's child outlived it"
        assert f"probe (pid {first}) was killed by SIGKILL" in capsys.readouterr().err

        supervise_until(service, lambda: service.pid is not None and not service.awaiting_health, "the restart")
        second = service.pid
        assert second is not None and second != first
        second_child = child_of(probe_dir, second)
        assert alive(second_child)
    finally:
        service.terminate()
        service.wait_stopped(time.monotonic() + 10)
    assert gone(first)
    assert gone(second)
    assert gone(second_child), "the child that ignores SIGTERM outlived the stop"
