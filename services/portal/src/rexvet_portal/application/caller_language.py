"""The language of the page being made, for the services whose answers carry words for people: coaching gives the
framework's texts (badge titles, modules, steps, the self-assessment) in it, or in English where it has no
translation. Set once per request by the API layer (rexvet_portal.api.i18n), read by the service clients, so that no
call site has to pass it along."""

from __future__ import annotations

from contextvars import ContextVar

CALLER_LANGUAGE: ContextVar[str | None] = ContextVar("rexvet_portal_caller_language", default=None)
