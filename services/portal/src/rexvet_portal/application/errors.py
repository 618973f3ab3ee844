"""What can go wrong when a page asks a service, said in the portal's terms (the adapters raise these)."""

from __future__ import annotations


class ServiceCallError(Exception):
    def __init__(self, service: str, detail: str) -> None:
        super().__init__(f"{service}: {detail}")
        self.service = service
        self.detail = detail


class SignInNeeded(ServiceCallError):
    """401: the person's token is missing, expired or refused; they sign in again."""


class NotAllowed(ServiceCallError):
    """403: the person's roles or scopes do not allow this."""


class NotFoundThere(ServiceCallError):
    """404: absent, or another person's or institution's (the services do not tell which)."""


class ServiceDown(ServiceCallError):
    """The service did not answer, or answered 5xx: the page says so with a 503.

    `kept`: what the person typed into the form that met the outage, for the 503 page to send again.
    """

    kept: dict[str, str] | None = None


class Refused(ServiceCallError):
    """4xx with a problem: the request was wrong; `errors` names the fields when the service said which."""

    def __init__(self, service: str, detail: str, status: int, errors: dict[str, str] | None = None) -> None:
        super().__init__(service, detail)
        self.status = status
        self.errors = errors or {}


class SignInFailed(Exception):
    """The sign-in could not be completed (bad state, nonce, ID token or code); the person starts again."""
