"""docs/architecture.md names the files each change takes: every path it quotes must exist, so it cannot drift.

A backticked token that starts at the repository root (`libs/...`, `services/...`, `README.md`) must exist there.
A shorter one that still looks like a path (it has a '/' or a file extension: `api_hr.py`, `application/ports.py`,
`base.html`) is written relative to the service or folder the sentence is about, so it must be the end of some
path in the repository. Tokens with spaces (commands), placeholders (`<lang>`) or no path shape (event types,
topics, names in the code) are not paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT_FOLDERS = ("apps", "bench", "deploy", "docs", "libs", "scripts", "services", "tests")
ROOT_FILES = ("Makefile", "README.md", "pyproject.toml", "uv.lock")
FILE_EXTENSIONS = (".py", ".html", ".md", ".yaml", ".json", ".sh", ".po", ".toml", ".png", ".js", ".css")
# Generated or local folders that hold nothing the document should point at.
SKIPPED = {".git", ".venv", "__pycache__", "node_modules", "var", "artifacts", ".mypy_cache", ".ruff_cache"}
BACKTICKED = re.compile(r"`([^`\n]+)`")


def quoted_paths(text: str) -> list[str]:
    """The backticked tokens of `text` that are meant as paths in the repository."""
    found = []
    for token in BACKTICKED.findall(text):
        if re.search(r"[\s<>{}*]", token) or token.startswith(("http:", "https:", ".")):
            continue
        at_root = token.split("/", 1)[0] in ROOT_FOLDERS or token in ROOT_FILES
        if at_root or "/" in token or token.endswith(FILE_EXTENSIONS):
            found.append(token)
    return found


def repository_paths(repo_root: Path) -> set[str]:
    """Every file and folder under the root folders, as '/'-joined paths relative to the root."""
    paths: set[str] = set()
    pending = [repo_root / folder for folder in ROOT_FOLDERS]
    while pending:
        folder = pending.pop()
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name in SKIPPED:
                continue
            paths.add(entry.relative_to(repo_root).as_posix())
            if entry.is_dir():
                pending.append(entry)
    return paths


def missing_paths(tokens: Iterable[str], repo_root: Path) -> list[str]:
    """The tokens that name nothing in the repository."""
    known = repository_paths(repo_root)
    missing = []
    for token in tokens:
        path = token.rstrip("/")
        if path.split("/", 1)[0] in ROOT_FOLDERS or path in ROOT_FILES:
            exists = (repo_root / path).exists()
        else:
            exists = any(known_path == path or known_path.endswith("/" + path) for known_path in known)
        if not exists:
            missing.append(token)
    return missing


def test_every_path_the_architecture_document_names_exists(repo_root: Path) -> None:
    document = repo_root / "docs" / "architecture.md"
    tokens = quoted_paths(document.read_text(encoding="utf-8"))
    assert len(tokens) > 40, "the document names the files each change takes: the extraction found too few"
    missing = missing_paths(tokens, repo_root)
    assert not missing, f"docs/architecture.md names paths that do not exist; fix the document: {missing}"


def test_the_readme_links_the_architecture_document(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert "](docs/architecture.md)" in readme


def test_a_renamed_or_invented_path_is_reported(repo_root: Path) -> None:
    text = (
        "See `libs/common/src/rexvet_common/events/catalogue.py`, `application/ports.py`, `base.html` and"
        " `libs/common/src/rexvet_common/events/no_such_module.py`, `api/no_such_routes.py`, `gone.html`;"
        " not paths: `rexvet.hr.v1`, `make translations`, `<topic>.dlq.<group>`, `add_to_outbox`."
    )
    tokens = quoted_paths(text)
    assert tokens == [
        "libs/common/src/rexvet_common/events/catalogue.py",
        "application/ports.py",
        "base.html",
        "libs/common/src/rexvet_common/events/no_such_module.py",
        "api/no_such_routes.py",
        "gone.html",
    ]
    assert missing_paths(tokens, repo_root) == [
        "libs/common/src/rexvet_common/events/no_such_module.py",
        "api/no_such_routes.py",
        "gone.html",
    ]
