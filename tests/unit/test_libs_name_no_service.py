"""The libraries know no service, not even by a string: import-linter sees imports, this sees names.

A lib that names a service (`"rexvet_issuer.settings:IssuerSettings"` resolved with importlib, say) is coupled to it
as surely as by an import, and escapes the import contracts. The platform's composition belongs to `apps/cli`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = sorted(
    path.name for path in (ROOT / "services").glob("*/src/rexvet_*") if path.is_dir() and path.name != "__pycache__"
)


def test_the_services_are_found() -> None:
    assert {"rexvet_evidence", "rexvet_coaching", "rexvet_issuer", "rexvet_verifier", "rexvet_portal"} <= set(
        SERVICE_PACKAGES
    )


def test_no_library_source_names_a_service_package() -> None:
    named = re.compile(r"\b(" + "|".join(map(re.escape, SERVICE_PACKAGES)) + r")\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "libs").glob("*/src/**/*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if named.search(line)
    ]
    assert not found, "libraries name services (compose them in apps/cli instead):\n" + "\n".join(found)
