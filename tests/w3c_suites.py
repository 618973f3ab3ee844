"""Running the W3C VC test suites (node projects from ../shared/w3c-suites) against the platform's VC-API, for
tests/interop/test_w3c_suites.py (the tier tests/w3c_tier.py gates).

The suites folder is read-only and shared: each run copies the suites to a scratch directory, points their
`github:` dependencies at the local copies (`file:../<folder>`, installed with `--install-links`), and links in
`node_modules` from a cache outside the repository (~/.cache/rexvet/w3c-node-modules), keyed by the SHA-256 of what
npm resolves from (the rewritten package.json and the local dependencies' trees), so reruns install nothing. The
issuer and the verifier run as real processes (`python -m rexvet_common.serve`) on embedded backends, serving
https themselves with a self-signed certificate made here (REXVET_TLS_CERT_FILE); `SSL_CERT_FILE` makes the
services trust it for what they fetch from one another (the token keys, did:web documents, status lists), and
`NODE_TLS_REJECT_UNAUTHORIZED=0` the suites.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import ipaddress
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rexvet_credentials.didweb import did_web_for_url

REPO_ROOT = Path(__file__).resolve().parents[1]
NOT_APPLICABLE_FILE = REPO_ROOT / "tests" / "interop" / "w3c_not_applicable.toml"
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rexvet" / "w3c-node-modules"
LOCAL_DEPENDENCIES = ("vc-test-suite-implementations", "data-integrity-test-suite-assertion")
TENANT = "w3c-suites"
STARTUP_SECONDS = 120.0
MOCHA_SECONDS = 1200


@dataclass(frozen=True)
class SuiteRun:
    """One suite's mocha JSON report, reduced to what the tier judges."""

    suite: str
    total: int  # tests mocha finds (--dry-run): the ones a failing hook hides included
    passed: list[str]
    failed: dict[str, str]  # full title -> first line of the error
    pending: list[str]

    @property
    def ran(self) -> int:
        return len(self.passed) + len(self.failed)

    def score(self) -> str:
        return f"{self.suite}: {len(self.passed)} passed of {self.ran} run, {self.total} in all"


def not_applicable() -> dict[str, dict[str, str]]:
    """suite -> {full test title: reason} from tests/interop/w3c_not_applicable.toml."""
    data = tomllib.loads(NOT_APPLICABLE_FILE.read_text(encoding="utf-8"))
    listed: dict[str, dict[str, str]] = {}
    for entry in data.get("test", []):
        listed.setdefault(entry["suite"], {})[entry["title"]] = entry["reason"]
    return listed


# --- the suites' node projects ------------------------------------------------------------------------------------


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "node_modules" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_suite(source: Path, scratch: Path, suite: str) -> Path:
    """`suite` copied under `scratch` beside its local dependencies, with node_modules linked from the cache."""
    for name in (suite, *LOCAL_DEPENDENCIES):
        if not (scratch / name).exists():
            shutil.copytree(source / name, scratch / name, symlinks=True)
            (scratch / name).chmod(0o755)
    folder = scratch / suite
    package_file = folder / "package.json"
    package = json.loads(package_file.read_text(encoding="utf-8"))
    key = hashlib.sha256()
    for section in ("dependencies", "devDependencies"):
        for name, spec in package.get(section, {}).items():
            if isinstance(spec, str) and spec.startswith("github:") and name in LOCAL_DEPENDENCIES:
                package[section][name] = f"file:../{name}"
                key.update(_tree_digest(scratch / name).encode())
    package_text = json.dumps(package, indent=2) + "\n"
    package_file.write_text(package_text, encoding="utf-8")
    key.update(package_text.encode())
    cached = CACHE_DIR / f"{suite}-{key.hexdigest()[:16]}"
    if not (cached / "node_modules").is_dir():
        _install(scratch, suite, cached)
    (folder / "node_modules").symlink_to(cached / "node_modules", target_is_directory=True)
    return folder


def _install(scratch: Path, suite: str, cached: Path) -> None:
    """npm install into a staging copy, moved into the cache only once complete (an interrupted run leaves none)."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the W3C suites tier (apt-get install nodejs npm)")
    staging = CACHE_DIR / f".{cached.name}.{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    # npm resolves file:../<dependency> from the project's folder: stage the dependencies beside it
    for name in (suite, *LOCAL_DEPENDENCIES):
        shutil.copytree(scratch / name, staging / name, symlinks=True)
    subprocess.run(
        [npm, "install", "--install-links", "--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"],
        cwd=staging / suite,
        check=True,
        timeout=1800,
    )
    cached.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        shutil.copy2(staging / suite / "package-lock.json", cached / "package-lock.json")
    try:
        (staging / suite / "node_modules").rename(cached / "node_modules")
    except OSError:
        if not (cached / "node_modules").is_dir():
            raise  # not a concurrent run that finished first: a real failure
    shutil.rmtree(staging, ignore_errors=True)


def run_mocha(folder: Path, suite: str, env: dict[str, str]) -> SuiteRun:
    npx = shutil.which("npx")
    if npx is None:
        raise RuntimeError("npx is needed for the W3C suites tier (apt-get install nodejs npm)")
    env = {**env, "APP_ROOT_PATH": str(folder), "NODE_TLS_REJECT_UNAUTHORIZED": "0"}
    base = [npx, "mocha", "tests/", "--timeout", "15000", "--preserve-symlinks"]
    dry = folder / "dry-run.json"
    subprocess.run(
        [*base, "--dry-run", "--reporter", "json", "--reporter-option", f"output={dry}"],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    total = json.loads(dry.read_text(encoding="utf-8"))["stats"]["tests"] if dry.is_file() else 0
    report = folder / "report.json"
    completed = subprocess.run(
        [*base, "--reporter", "json", "--reporter-option", f"output={report}"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=MOCHA_SECONDS,
        check=False,
    )
    (folder / "mocha.log").write_text(completed.stdout + completed.stderr, encoding="utf-8")
    if not report.is_file():
        raise RuntimeError(f"mocha wrote no report for {suite}: {completed.stderr[-3000:]}")
    results = json.loads(report.read_text(encoding="utf-8"))
    failed = {}
    for test in results["failures"]:
        message = str((test.get("err") or {}).get("message", "")).strip().splitlines()
        failed[test["fullTitle"]] = message[0] if message else "failed"
    return SuiteRun(
        suite,
        total=max(total, results["stats"]["tests"]),
        passed=[test["fullTitle"] for test in results["passes"]],
        failed=failed,
        pending=[test["fullTitle"] for test in results["pending"]],
    )


# --- the platform under test --------------------------------------------------------------------------------------


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for a day, and its key (PEM files in `folder`)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
    return cert_file, key_file


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Platform:
    issuer_url: str
    verifier_url: str
    issuer_id: str  # the institution's did:web
    token: str
    env: dict[str, str]


@contextlib.contextmanager
def running_platform(folder: Path) -> Iterator[Platform]:
    """The issuer and the verifier over https on free loopback ports, until the block ends."""
    cert, key = self_signed_certificate(folder)
    ports = {"issuer": free_port(), "verifier": free_port()}
    env = {name: value for name, value in os.environ.items() if not name.startswith("REXVET_")}
    issuer_url = f"https://127.0.0.1:{ports['issuer']}"
    env.update(
        {
            "REXVET_DATA_DIR": str(folder / "var"),
            "REXVET_TLS_CERT_FILE": str(cert),
            "REXVET_TLS_KEY_FILE": str(key),
            "REXVET_ISSUER_PORT": str(ports["issuer"]),
            "REXVET_VERIFIER_PORT": str(ports["verifier"]),
            "REXVET_ISSUER_PUBLIC_URL": issuer_url,
            "SSL_CERT_FILE": str(cert),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            # The suites are one client sending hundreds of requests a minute from 127.0.0.1: the verifier's
            # per-client limit (which they do not test) would answer 429 to a fast run. Still enforced, out of reach.
            "REXVET_VERIFIER_RATE_LIMIT_PER_MINUTE": "100000000",
            "REXVET_VERIFIER_RATE_LIMIT_BURST": "100000000",
        }
    )
    apps = {"issuer": "rexvet_issuer.app:app", "verifier": "rexvet_verifier.app:app"}
    logs = {name: (folder / f"{name}.log").open("wb") for name in apps}
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-m", "rexvet_common.serve", app, "--port", str(ports[name]), "--watch-parent"],
            cwd=REPO_ROOT,
            env=env,
            stdout=logs[name],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for name, app in apps.items()
    }
    try:
        client = httpx.Client(verify=ssl.create_default_context(cafile=str(cert)), trust_env=False, timeout=5.0)
        for name, port in ports.items():
            _wait_healthy(client, f"https://127.0.0.1:{port}/healthz", processes[name], folder / f"{name}.log")
        token = _dev_token(env)
        yield Platform(
            issuer_url=issuer_url,
            verifier_url=f"https://127.0.0.1:{ports['verifier']}",
            issuer_id=did_web_for_url(f"{issuer_url}/v1/issuers/{TENANT}"),
            token=token,
            env=env,
        )
    finally:
        for process in processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for log in logs.values():
            log.close()


def _wait_healthy(client: httpx.Client, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}: {log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if client.get(url).status_code == 200:
                return
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {STARTUP_SECONDS:g}s: {log.read_text()[-3000:]}")


def _dev_token(env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "rexvet_cli.main", "auth", "dev-token", "--tenant", TENANT, "--sub", "w3c-suites"]
    command += ["--roles", "institution-admin", "--scope", "issuer:read", "issuer:write"]
    minted = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True, timeout=60)
    return minted.stdout.strip()


# --- each suite's registration of the platform --------------------------------------------------------------------

SUITE_TAGS = {
    "vc-data-model-2.0-test-suite": "vc2.0",
    "vc-di-eddsa-test-suite": "eddsa-rdfc-2022",
    "vc-bitstring-status-list-test-suite": "BitstringStatusList",
}


def local_config(suite: str, platform: Platform) -> dict[str, Any]:
    """The suite's localConfig.cjs: the platform's issuer, verifier and presentation verifier, with the token."""
    tag = SUITE_TAGS[suite]
    auth = {"Authorization": f"Bearer {platform.token}"}
    issuer: dict[str, Any] = {
        "id": platform.issuer_id,
        "endpoint": f"{platform.issuer_url}/credentials/issue",
        "headers": auth,
        "tags": [tag],
    }
    if suite == "vc-di-eddsa-test-suite":
        issuer["supports"] = {"vc": ["1.1", "2.0"]}
    if suite == "vc-bitstring-status-list-test-suite":
        issuer["options"] = {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}
    verifier = {"id": f"{platform.verifier_url}/verifier", "endpoint": f"{platform.verifier_url}/credentials/verify"}
    vp_verifier = {"id": verifier["id"], "endpoint": f"{platform.verifier_url}/presentations/verify"}
    return {
        "settings": {"enableInteropTests": False, "testAllImplementations": False},
        "implementations": [
            {
                "name": "rexvet",
                "implementation": "rexvet",
                "issuers": [issuer],
                "verifiers": [{**verifier, "tags": [tag]}],
                "vpVerifiers": [{**vp_verifier, "tags": [tag]}],
            }
        ],
    }


def write_local_config(folder: Path, suite: str, platform: Platform) -> None:
    config = json.dumps(local_config(suite, platform), indent=2)
    (folder / "localConfig.cjs").write_text(f"module.exports = {config};\n", encoding="utf-8")
