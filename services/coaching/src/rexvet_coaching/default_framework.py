"""The default REX VET framework shipped with the service (version 1), as a data file inside the package, and its
translations beside it (`rexvet-framework-v1.fi.yaml`: see rexvet_coaching.domain.translation)."""

from __future__ import annotations

from pathlib import Path

from rexvet_coaching.domain.framework import Framework
from rexvet_coaching.domain.loading import load_framework_file, read_document
from rexvet_coaching.domain.translation import FrameworkTranslation, parse_translation

DEFAULT_FRAMEWORK_FILE = Path(__file__).parent / "data" / "rexvet-framework-v1.yaml"


def load_default_framework(path: Path = DEFAULT_FRAMEWORK_FILE) -> Framework:
    """Load and check the shipped framework; a broken file stops the service with file, path and reason."""
    return load_framework_file(path)


def translation_files(framework_file: Path) -> list[Path]:
    """`<name>.<language><suffix>` beside the framework file, e.g. rexvet-framework-v1.fi.yaml."""
    return sorted(framework_file.parent.glob(f"{framework_file.stem}.*{framework_file.suffix}"))


def load_translations(
    framework: Framework, framework_file: Path = DEFAULT_FRAMEWORK_FILE
) -> list[FrameworkTranslation]:
    """Every translation beside the framework file, each checked against it; a broken one stops the service too."""
    return [
        parse_translation(read_document(path), framework, source=str(path))
        for path in translation_files(framework_file)
    ]
