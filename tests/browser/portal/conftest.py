"""The portal's browser tests run against a real `make run` (the portal and the four services on free ports), started
once for the module that asks for `platform` and stopped (Ctrl-C) after its last test.

The evidence limit is set small (REXVET_EVIDENCE_MAX_UPLOAD_BYTES, which the portal announces too) so that a test
can choose a file over it without writing tens of megabytes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO_ROOT / "tests" / "e2e"))  # make_run.py, the e2e tier's driver of `make run`

from make_run import Platform, make_run  # noqa: E402

UPLOAD_LIMIT_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    backends = {"REXVET_EVIDENCE_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT_BYTES)}
    with make_run(REPO_ROOT, tmp_path_factory.mktemp("make-run"), backends=backends) as running:
        yield running
