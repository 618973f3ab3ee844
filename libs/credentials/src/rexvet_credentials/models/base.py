"""Shared model machinery: spec-valid JSON out (arrays for multi-valued properties, no nulls, no empty arrays),
lenient JSON in (a single value where an array is expected, unknown extension properties kept)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

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

    # the OB 3.0 class name that `type` must include (None: the class has no `type` requirement)
    required_type: ClassVar[str | None] = None

    @model_validator(mode="after")
    def _has_required_type(self) -> Self:
        required = type(self).required_type
        if required is not None:
            declared = getattr(self, "type", None)
            if required not in (declared if isinstance(declared, list) else [declared]):
                raise ValueError(f"`type` must include {required}")
        return self

    def to_json(self) -> dict[str, Any]:
        """Spec-valid JSON: aliases (`@context`), no nulls, no empty arrays or objects."""
        pruned: dict[str, Any] = _prune(self.model_dump(mode="json", by_alias=True, exclude_none=True))
        return pruned
