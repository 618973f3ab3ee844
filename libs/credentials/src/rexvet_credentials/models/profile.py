"""Profile: the issuer (or creator) of a credential."""

from __future__ import annotations

from pydantic import Field

from rexvet_credentials.models.achievement import Image
from rexvet_credentials.models.base import Many, SpecModel


class Profile(SpecModel):
    required_type = "Profile"
    id: str
    type: Many[str] = Field(default_factory=lambda: ["Profile"])
    name: str
    url: str | None = None
    email: str | None = None
    description: str | None = None
    image: Image | None = None
