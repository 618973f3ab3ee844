"""An adapter named by an importable factory and JSON arguments, so a subprocess can build the same adapter."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FactorySpec:
    target: str  # "package.module:callable"
    kwargs: dict[str, Any] = field(default_factory=dict)

    def build(self) -> Any:
        module_name, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module_name), attribute)(**self.kwargs)

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "kwargs": self.kwargs}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FactorySpec:
        return cls(target=raw["target"], kwargs=dict(raw["kwargs"]))
