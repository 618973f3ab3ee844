"""The README's commands as a newcomer pastes them, right after `make run`, in a shell where uv is not on PATH.

The blocks are read from README.md itself (found by their section's heading), never copied here, so the README cannot
drift from the code: the walk-through (a staff member earns the first Abroad badge, anyone verifies it, with the API
and with `./rexvet credential verify` online), the CLI verification block (online and `--offline`), and the commands of
`make run`'s own start-up message. The platform runs on free ports, none of them the defaults, and without
REXVET_AUTH_ISSUER: the CLI must find the platform from the same variables the platform was started with.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from make_run import LOOPBACK, Platform, make_run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

BLOCK_SECONDS = 300


@pytest.fixture(scope="module")
def platform(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """One `make run` for the module: it takes a while to start, and every test here uses its own people."""
    with make_run(repo_root, tmp_path_factory.mktemp("readme-commands")) as running:
        yield running


def readme_block(repo_root: Path, heading: str) -> str:
    """The first ```sh block of the README section with this `## ` heading."""
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert f"\n## {heading}\n" in readme, f"the README has no section {heading!r}"
    section = readme.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```sh\n(.*?)^```$", section, re.M | re.S)
    assert blocks, f"the README section {heading!r} has no sh block"
    block: str = blocks[0]
    return block


def newcomer_environment(platform: Platform) -> dict[str, str]:
    """The platform's variables (its ports, its data directory), but PATH as a fresh machine has it after `make`:
    without the directory where `make` installs uv, and outside the test run's virtual environment."""
    user_base = subprocess.run(["python3", "-m", "site", "--user-base"], capture_output=True, text=True, check=False)
    hidden = {Path(sys.prefix) / "bin", Path.home() / ".local" / "bin"}
    if user_base.returncode == 0:
        hidden.add(Path(user_base.stdout.strip()) / "bin")
    env = {name: value for name, value in platform.env.items() if name != "VIRTUAL_ENV"}
    path = [entry for entry in env.get("PATH", "").split(os.pathsep) if entry and Path(entry) not in hidden]
    env["PATH"] = os.pathsep.join(path)
    return env


def run_bash(script: str, platform: Platform) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=platform.repo_root,
        env=newcomer_environment(platform),
        capture_output=True,
        text=True,
        timeout=BLOCK_SECONDS,
    )
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "command not found" not in result.stderr, result.stderr
    return result


def documents(output: str) -> list[Any]:
    """Every JSON object the commands printed, one-line (curl) or indented (the CLI); other text is skipped."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    position = 0
    # An object starts a line, or follows another one directly (curl prints no newline after its body).
    for start in (match.start() for match in re.finditer(r"(?m)(?:^|(?<=\}))\{", output)):
        if start < position:
            continue
        try:
            value, position = decoder.raw_decode(output, start)
        except ValueError:
            continue  # e.g. the framework cut short by `head -40`
        found.append(value)
    return found


def problems(found: list[Any]) -> list[Any]:
    return [d for d in found if isinstance(d, dict) and isinstance(d.get("status"), int) and d["status"] >= 400]


def with_key(found: list[Any], key: str) -> list[dict[str, Any]]:
    return [d for d in found if isinstance(d, dict) and key in d]


def check(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in report["checks"] if c["id"] == check_id)
    return found


def untracked_and_changed(repo_root: Path) -> str:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo_root, capture_output=True, text=True
    )
    return status.stdout if status.returncode == 0 else "(not a git checkout)"


def cli(platform: Platform, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["./rexvet", *argv],
        cwd=platform.repo_root,
        env=env or newcomer_environment(platform),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_start_up_message_commands_work_as_printed(platform: Platform) -> None:
    banner = platform.log.read_text()
    caption = re.search(r"A development token for a staff member \(in another terminal, in (.+)\):\n", banner)
    assert caption, banner
    assert Path(caption.group(1)) == platform.repo_root
    printed = banner[caption.end() :].split("Press Ctrl-C", 1)[0]
    script = "\n".join(line[2:] for line in printed.splitlines() if line.startswith("  "))
    assert "./rexvet auth dev-token" in script and "curl" in script

    found = documents(run_bash(script, platform).stdout)
    assert not problems(found), found
    created, listed = found
    assert created["title"] == "Hosted a guest from Estonia"
    assert isinstance(listed["items"], list)


def test_the_walk_through_and_the_cli_verification_run_as_written(platform: Platform) -> None:
    before = untracked_and_changed(platform.repo_root)
    walk = readme_block(platform.repo_root, "A first walk through (the API)")
    verifying = readme_block(platform.repo_root, "Verifying a badge")
    # One shell, as a reader pastes one block after the other: the second uses the walk-through's badge ($B).
    result = run_bash(walk + "\n" + verifying, platform)
    found = documents(result.stdout)
    assert not problems(found), f"the README's commands answered problems: {problems(found)}"

    # The values the README hard-codes or promises
    assert with_key(found, "suggested_badge_id")[0]["suggested_badge_id"] == "abroad-rookie"
    enrolment = next(d for d in found if isinstance(d, dict) and d.get("badge_id") == "abroad-rookie" and "id" in d)
    assert enrolment["id"] == "abroad-rookie-1"  # the README's EID
    credentials = with_key(found, "items")[0]["items"]
    assert len(credentials) == 1 and credentials[0]["url"].startswith(platform.urls["issuer"])
    ladder = with_key(found, "directions")[-1]
    abroad = next(d for d in ladder["directions"] if d["direction"]["id"] == "abroad")
    assert abroad["level_held"]["id"] == "rookie"
    assert abroad["next_step"]["badge_id"] == "abroad-advanced"

    # The verifications of the freshly issued badge: the verifier's API, the CLI online (in each block), the CLI
    # offline with the documents it was given; each one verified, with the status list actually checked.
    reports = with_key(found, "checks")
    assert len(reports) == 4, reports
    for report in reports:
        assert report["outcome"] == "verified", report
        assert check(report, "status")["code"] == "status_active"
        assert check(report, "proof")["outcome"] == "passed"

    badge = Path(platform.env["REXVET_DATA_DIR"]) / "badge.json"
    assert json.loads(badge.read_text()) == credentials[0]["credential"]
    # Offline with nothing given, the same badge cannot be checked: the online run above really fetched.
    offline = cli(platform, "credential", "verify", "--offline", str(badge))
    assert offline.returncode == 1
    assert json.loads(offline.stdout)["outcome"] == "incomplete"

    assert untracked_and_changed(platform.repo_root) == before, "the README's commands left files in the checkout"


def test_the_cli_works_against_the_platform_on_its_ports_from_the_same_variables(platform: Platform) -> None:
    urls = platform.urls
    assert "REXVET_AUTH_ISSUER" not in platform.env
    assert platform.env["REXVET_ISSUER_PORT"] != "8003"  # the premise: not the default port

    created = cli(platform, "auth", "create-client", "--tenant", "omnia", "--roles", "hr-system", "--scope", "hr:write")
    assert created.returncode == 0, created.stderr
    printed = dict(line.split(":", 1) for line in created.stdout.splitlines() if re.match(r"^[a-z_ A-Z]+:\s", line))
    assert printed["token URL"].strip() == urls["issuer"] + "/oauth/token"

    # The HR system's path of the README: the client-credentials grant at the printed URL, then an HR event.
    granted = LOOPBACK.post(
        printed["token URL"].strip(),
        auth=(printed["client_id"].strip(), printed["client_secret"].strip()),
        data={"grant_type": "client_credentials", "scope": "hr:write"},
    )
    assert granted.status_code == 200, granted.text
    event = {
        "id": "HR-CLI-1",
        "type": "mobility.completed",
        "staff_id": "bob",
        "occurred_at": "2026-11-20T09:00:00+00:00",
        "fields": {"duration_days": 6},
    }
    pushed = LOOPBACK.post(
        urls["evidence"] + "/v1/hr/events",
        json=event,
        headers={"Authorization": f"Bearer {granted.json()['access_token']}"},
    )
    assert pushed.status_code == 201, pushed.text

    def dev_token(env: dict[str, str]) -> str:
        minted = cli(platform, "auth", "dev-token", "--tenant", "omnia", "--sub", "bob", "--roles", "staff",
                     "--scope", "coaching:read", env=env)  # fmt: skip
        assert minted.returncode == 0, minted.stderr
        return minted.stdout.strip()

    def ladder_status(token: str) -> int:
        answer = LOOPBACK.get(urls["coaching"] + "/v1/me/ladder", headers={"Authorization": f"Bearer {token}"})
        return answer.status_code

    assert ladder_status(dev_token(newcomer_environment(platform))) == 200
    # The control: the same command with the issuer's port of another platform signs tokens this one refuses.
    elsewhere = newcomer_environment(platform) | {"REXVET_ISSUER_PORT": "8303"}
    assert ladder_status(dev_token(elsewhere)) == 401
