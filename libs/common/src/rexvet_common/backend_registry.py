"""Backends are registered, not hard-coded: each adapter declares its name, its own settings and its factory.

An adapter module ends with a `BACKEND = Backend(port=..., name=..., settings=..., build=...)` and is registered by
one line in `libs/common/pyproject.toml` (`[project.entry-points."rexvet.backends"]`, named `<port>.<name>`). The
selectors (`REXVET_BUS`, `REXVET_DOCUMENTS`, `REXVET_BLOBS`), the start-up validation (the variables a chosen backend
needs, placeholder secrets in production) and the README's configuration reference all come from these
declarations. Entry points are read as metadata: only the chosen backend's module is imported, so a deployment that
never selects Kafka never imports aiokafka, and a third-party package can add a backend without editing this one.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from rexvet_common.errors import ConfigurationError

if TYPE_CHECKING:
    from rexvet_common.settings import ServiceSettings

ENTRY_POINT_GROUP = "rexvet.backends"
# The ports a backend can serve, with the variable that selects it.
SELECTORS = {"bus": "REXVET_BUS", "documents": "REXVET_DOCUMENTS", "blobs": "REXVET_BLOBS"}

PortT = TypeVar("PortT")


class MissingVariables(ValueError):
    """Raised by a backend's settings validator for variables needed together (SASL's user and password, say)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(f"needs {', '.join(names)}")


class BackendSettings(BaseSettings):
    """Base of one backend's own settings (only its fields and its secrets), read when it is chosen.

    Subclasses set `env_prefix` (`REXVET_KAFKA_`, say). Required fields are required: choosing the backend without
    them fails at start naming the variables. Secret fields are `SecretStr`; production refuses placeholders in them
    (also the password of a URL).
    """

    model_config = SettingsConfigDict(extra="ignore")

    def placeholder_secrets(self) -> list[str]:
        from rexvet_common.settings import is_placeholder  # late: settings imports this module

        prefix = str(self.model_config.get("env_prefix", ""))
        found = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if not isinstance(value, SecretStr) or not value.get_secret_value():
                continue
            raw = value.get_secret_value()
            password = urlsplit(raw).password if "://" in raw else None
            if (password is not None and is_placeholder(password)) or (password is None and is_placeholder(raw)):
                found.append(prefix + name.upper())
        return found


@dataclass(frozen=True)
class BuildContext:
    """What a factory may use besides its own settings: the service's settings (its name, data directory) and, for
    blob stores, where the service serves downloads and the secret that signs their links."""

    service: ServiceSettings
    download_base_url: str | None = None
    url_signing_secret: str | None = None


@dataclass(frozen=True)
class Backend(Generic[PortT]):
    port: str  # one of SELECTORS
    name: str  # the selector's value
    settings: type[BackendSettings]
    build: Callable[[BuildContext, Any], PortT]  # (context, an instance of `settings`) -> the adapter
    summary: str  # one line for the configuration reference
    # A blob store that serves its files through the service and signs their links itself (with the service's
    # secret), rather than presigning them (S3).
    signs_download_links: bool = False

    @property
    def selector(self) -> str:
        return SELECTORS[self.port]

    def load_settings(self) -> BackendSettings:
        """Its settings from the environment; `SettingsRefused` naming each variable that is unset or invalid."""
        prefix = str(self.settings.model_config.get("env_prefix", ""))
        try:
            return self.settings()
        except ValidationError as exc:
            refused = SettingsRefused()
            for error in exc.errors():
                cause = (error.get("ctx") or {}).get("error")
                variable = prefix + "_".join(str(part) for part in error["loc"]).upper()
                if isinstance(cause, MissingVariables):
                    refused.missing += cause.names
                elif error["type"] == "missing":
                    refused.missing.append(variable)
                else:
                    refused.invalid.append(f"{variable}: {error['msg']}")
            raise refused from exc


class SettingsRefused(Exception):
    """A chosen backend's variables: those unset that it needs, and those set to values it refuses."""

    def __init__(self) -> None:
        self.missing: list[str] = []
        self.invalid: list[str] = []
        super().__init__("backend settings refused")


def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    return {entry.name: entry for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def backend_names(port: str) -> list[str]:
    """The registered backends of `port`, read from the installed packages' metadata (nothing is imported)."""
    prefix = port + "."
    return sorted(name[len(prefix) :] for name in _entry_points() if name.startswith(prefix))


@cache
def backend(port: str, name: str) -> Backend[Any]:
    """The chosen backend's declaration; its module is imported now, and only now."""
    selector = SELECTORS[port]
    entry = _entry_points().get(f"{port}.{name}")
    if entry is None:
        raise ConfigurationError(f"{selector}={name} is not a registered backend; choose one of {backend_names(port)}")
    try:
        declared = entry.load()
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            f"{selector}={name} needs the adapter module {entry.module}, which is not installed ({exc}); "
            f"choose another {selector}"
        ) from exc
    if not isinstance(declared, Backend) or (declared.port, declared.name) != (port, name):
        raise ConfigurationError(f"the entry point {entry.name} = {entry.value} does not declare that backend")
    return declared


def all_backends() -> list[Backend[Any]]:
    """Every registered backend, port by port (imports every adapter module: for the reference, not at start)."""
    return [backend(port, name) for port in SELECTORS for name in backend_names(port)]
