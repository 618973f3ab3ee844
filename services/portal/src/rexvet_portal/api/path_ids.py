"""An id taken from a page's address: one that cannot be an id is a 404 before any service is asked."""

from __future__ import annotations

import re

from rexvet_portal.application.errors import NotFoundThere


def id_or_404(value: str, what: str, *, pattern: re.Pattern[str], service: str) -> str:
    """`value` when `pattern` matches it; otherwise the 404 says no `what` `value` in `service`."""
    if not pattern.match(value):
        raise NotFoundThere(service, f"no {what} {value!r}")
    return value
