"""The configuration reference, generated from the settings classes themselves so it cannot drift from them.

`python -m rexvet_common.wiring.config_reference` prints a Markdown table of every variable (for the README).
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import Any

from pydantic_settings import BaseSettings

from rexvet_common.settings import PLATFORM_PREFIX, PlatformSettings, ServiceSettings

SERVICE_SETTINGS = (
    "rexvet_evidence.settings:EvidenceSettings",
    "rexvet_coaching.settings:CoachingSettings",
    "rexvet_issuer.settings:IssuerSettings",
    "rexvet_verifier.settings:VerifierSettings",
    "rexvet_portal.settings:PortalSettings",
)
NOT_CONFIGURABLE = frozenset({"platform", "service_name"})


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
        default = "(generated)" if field.default_factory is not None else _default(field.default)
        result.append((prefix + name.upper(), default, description))
    return result


def service_classes() -> list[type[ServiceSettings]]:
    classes = []
    for path in SERVICE_SETTINGS:
        module, _, name = path.partition(":")
        classes.append(getattr(importlib.import_module(module), name))
    return classes


def reference_markdown() -> str:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    every = rows(PlatformSettings, PLATFORM_PREFIX)
    for cls in service_classes():
        every += rows(cls, str(cls.model_config.get("env_prefix", "")))
    lines += [f"| `{name}` | `{default}` | {description} |" for name, default, description in every]
    return "\n".join(lines)


if __name__ == "__main__":
    print(reference_markdown())
