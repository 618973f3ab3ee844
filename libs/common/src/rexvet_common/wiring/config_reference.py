"""The configuration reference, generated from the settings classes themselves so it cannot drift from them.

This module renders whichever settings classes it is given; which services there are is the CLI's to say
(`python -m rexvet_cli.config_reference` prints the platform's table, `make readme` writes it into the README).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from pydantic_settings import BaseSettings

from rexvet_common.backend_registry import all_backends
from rexvet_common.settings import PLATFORM_PREFIX, PlatformSettings, ServiceSettings

NOT_CONFIGURABLE = frozenset({"platform", "service_name", "backends"})


def _default(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def rows(cls: type[BaseSettings], prefix: str) -> list[tuple[str, str, str]]:
    result = []
    for name, field in cls.model_fields.items():
        if name in NOT_CONFIGURABLE:
            continue
        inherited = ServiceSettings.model_fields.get(name)
        description = field.description or (inherited.description if inherited else None) or ""
        if field.is_required():
            default = "(required)"
        elif field.default_factory is not None:
            default = "(generated)"
        else:
            default = _default(field.default)
        result.append((prefix + name.upper(), default, description))
    return result


def reference_markdown(service_classes: Sequence[type[ServiceSettings]]) -> str:
    """The platform's variables, then each service's, as one Markdown table."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    every = rows(PlatformSettings, PLATFORM_PREFIX)
    for chosen in all_backends():
        condition = f"{chosen.selector}={chosen.name}"
        prefix = str(chosen.settings.model_config.get("env_prefix", ""))
        every += [
            (name, default, f"({condition}) {meaning}") for name, default, meaning in rows(chosen.settings, prefix)
        ]
    for cls in service_classes:
        every += rows(cls, str(cls.model_config.get("env_prefix", "")))
    lines += [f"| `{name}` | `{default}` | {description} |" for name, default, description in every]
    return "\n".join(lines)
