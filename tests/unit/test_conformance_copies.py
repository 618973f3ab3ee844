"""tests/conformance/ holds the standards bodies' files byte for byte: each file hashes to the SHA-256 recorded for
its upstream source in SHA256SUMS, nothing unlisted lies beside them, the README names where each came from, and
no runtime code reads them (nor ../shared, which a deployed machine does not have)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

# What the folder holds besides the copies themselves.
BOOKKEEPING = {"README.md", "SHA256SUMS", ".gitattributes"}
# The folders the tests' fixtures read (tests/unit/credentials/conftest.py, tests/unit/verifier/conftest.py, ...).
FOLDERS = {"1edtech-validator-ob30", "contexts", "ob-spec-test-vectors", "w3c-vc-di-eddsa"}


def recorded_hashes(conformance_dir: Path) -> dict[str, str]:
    """SHA256SUMS, in `sha256sum` format (so `sha256sum -c SHA256SUMS` checks the same by hand)."""
    recorded: dict[str, str] = {}
    for number, line in enumerate((conformance_dir / "SHA256SUMS").read_text(encoding="ascii").splitlines(), 1):
        match = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line)
        assert match, f"SHA256SUMS line {number} is not `<sha256>  <path>`: {line!r}"
        recorded[match[2]] = match[1]
    return recorded


def sha256_of(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def test_every_copy_has_the_bytes_of_its_source(conformance_dir: Path) -> None:
    recorded = recorded_hashes(conformance_dir)
    assert {path.split("/", 1)[0] for path in recorded} == FOLDERS
    changed = sorted(path for path, expected in recorded.items() if sha256_of(conformance_dir / path) != expected)
    assert not changed, (
        f"these copies are missing or differ from their upstream files: {changed}; copy them again byte for byte "
        "(tests/conformance/README.md names the sources) and do not let an editor or git rewrite them"
    )


def test_nothing_lies_there_unrecorded(conformance_dir: Path) -> None:
    present = {
        path.relative_to(conformance_dir).as_posix() for path in conformance_dir.rglob("*") if path.is_file()
    } - BOOKKEEPING
    unrecorded = present - set(recorded_hashes(conformance_dir))
    assert not unrecorded, (
        f"files without a recorded SHA-256: {sorted(unrecorded)}; add each to SHA256SUMS and its source and "
        "licence to tests/conformance/README.md"
    )


def test_the_readme_names_every_folder_and_context(conformance_dir: Path) -> None:
    readme = (conformance_dir / "README.md").read_text(encoding="utf-8")
    contexts = {path.split("/", 1)[1] for path in recorded_hashes(conformance_dir) if path.startswith("contexts/")}
    unnamed = {name for name in FOLDERS | contexts if f"`{name}" not in readme}
    assert not unnamed, f"tests/conformance/README.md must name the source and licence of {sorted(unnamed)}"


def test_runtime_code_never_reads_test_data_or_shared(repo_root: Path) -> None:
    """A deployed machine has neither tests/ nor ../shared: runtime code must not name them."""
    pattern = re.compile(r"""\.\./shared|["']shared["']|shared/(conformance|w3c-suites)|tests/conformance|w3c-suites""")
    sources = [
        path
        for top in ("libs", "services", "apps")
        for path in (repo_root / top).rglob("*")
        if path.suffix in {".py", ".toml", ".json", ".yaml", ".yml", ".cfg", ".ini"}
        and path.is_file()
        and "node_modules" not in path.parts
    ]
    assert len(sources) > 50, "expected to scan the runtime packages' sources"
    naming = sorted(
        str(path.relative_to(repo_root)) for path in sources if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert not naming, f"runtime code names test data or ../shared: {naming}; runtime code must not read either"
