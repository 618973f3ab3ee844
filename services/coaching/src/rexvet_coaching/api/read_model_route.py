"""The route class of coaching's JSON routes: each answers with a read model, leaving out what the model left unset.

A read model sets only the fields a view has something to say about, and an unset field stays out of the JSON
rather than becoming a null (see `application/read_models.py`). Said once here instead of on every route; each
route's response model is its return annotation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute


class ReadModelRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **{**options, "response_model_exclude_unset": True})
