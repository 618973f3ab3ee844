"""The default REX VET framework shipped with the service (version 1), as a data file inside the package."""

from __future__ import annotations

from pathlib import Path

from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.loading import load_framework_file

DEFAULT_FRAMEWORK_FILE = Path(__file__).parent / "data" / "rexvet-framework-v1.yaml"


def load_default_framework(path: Path = DEFAULT_FRAMEWORK_FILE) -> Framework:
    """Load and check the shipped framework; a broken file stops the service with file, path and reason."""
    return load_framework_file(path)
