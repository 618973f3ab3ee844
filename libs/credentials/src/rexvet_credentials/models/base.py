"""Shared model machinery: spec-valid JSON out (arrays for multi-valued properties, no nulls, no empty arrays),
lenient JSON in (a single value where an array is expected, unknown extension properties kept)."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

T = TypeVar("T")


def _as_list(value: Any) -> Any:
    if value is None or isinstance(value, list):
        return value
    return [value]


# A multi-valued property: third-party JSON may give one value instead of an array; we always write an array.
Many = Annotated[list[T], BeforeValidator(_as_list)]


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value if v is not None]
    return value


class SpecModel(BaseModel):
    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=True,
    )

    def to_json(self) -> dict[str, Any]:
        """Spec-valid JSON: aliases (`@context`), no nulls, no empty arrays or objects."""
        pruned: dict[str, Any] = _prune(self.model_dump(mode="json", by_alias=True, exclude_none=True))
        return pruned
