"""People of the institution as the directory names them: a coach to choose on the enrol form."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coach:
    id: str
    display_name: str | None = None

    @property
    def label(self) -> str:
        """What the form shows: the name, or the id when the directory has no name (wherever names are shown, the
        id remains when the person was erased)."""
        return self.display_name or self.id
