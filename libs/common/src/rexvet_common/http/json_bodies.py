"""415 for a JSON endpoint sent something that is not JSON: one app-wide dependency, so every service agrees.

FastAPI decodes a body as JSON only when its Content-Type says JSON; otherwise the endpoint's model meets raw bytes
and the caller gets a baffling 422 "Input should be a valid dictionary". This dependency runs before the body is
validated (FastAPI has already read it, so nothing is read twice) and answers 415 with the media types accepted.
A malformed JSON body never gets here: FastAPI reports it first, and `rexvet_common.problems` makes it a 400.
"""

from __future__ import annotations

import email.message

from fastapi import Request
from fastapi import params as fastapi_params
from fastapi.routing import APIRoute

from rexvet_common.problems import UnsupportedMediaType

JSON_MEDIA_TYPE = "application/json"


def is_json_media_type(content_type: str) -> bool:
    """application/json or application/<anything>+json, parameters (charset) ignored: what FastAPI decodes."""
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


async def require_json_body(request: Request) -> None:
    """On a route with a JSON body model: refuse a non-empty body that is not declared as JSON."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return  # no body model (or a route that reads the raw body itself: it checks its own media types)
    if isinstance(route.body_field.field_info, fastapi_params.Form):
        return
    content_type = request.headers.get("content-type", "")
    if content_type and is_json_media_type(content_type):
        return
    if not content_type and not await request.body():
        return  # nothing sent: the body model says whether that is allowed (422 naming the field if not)
    sent = content_type.split(";", 1)[0].strip() or "no Content-Type"
    raise UnsupportedMediaType(
        f"{request.method} {request.url.path} takes a JSON body: send it with Content-Type: {JSON_MEDIA_TYPE} "
        f"(the request had {sent})",
        accepted=[JSON_MEDIA_TYPE],
    )
