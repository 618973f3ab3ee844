"""`make run`: the platform's five services as processes on 127.0.0.1, embedded backends, data under ./var/.

The composition lives here, in an app, so that the libraries know no service: which services run, in which order
(the portal first: its URL is the one people open), on which ports, and what the banner tells a first-time user.
The supervision itself (restarts, process groups, stopping) is `rexvet_common.supervision`'s. Ports:
`REXVET_<SERVICE>_PORT` (8000 portal, 8001 evidence, 8002 coaching, 8003 issuer, 8004 verifier).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rexvet_coaching.settings import load_coaching_settings
from rexvet_common.supervision import ServiceSpec, run
from rexvet_evidence.settings import load_evidence_settings
from rexvet_issuer.settings import load_issuer_settings
from rexvet_portal.settings import load_portal_settings
from rexvet_verifier.settings import load_verifier_settings

SERVICES = (
    ServiceSpec("portal", "rexvet_portal.app:app", load_portal_settings, 8000),
    ServiceSpec("evidence", "rexvet_evidence.app:app", load_evidence_settings, 8001),
    ServiceSpec("coaching", "rexvet_coaching.app:app", load_coaching_settings, 8002),
    ServiceSpec("issuer", "rexvet_issuer.app:app", load_issuer_settings, 8003),
    ServiceSpec("verifier", "rexvet_verifier.app:app", load_verifier_settings, 8004),
)


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    # Tokens name the issuer that signed them; every service must expect the one actually running.
    env.setdefault("REXVET_AUTH_ISSUER", _url("issuer", env))
    env.setdefault("REXVET_DATA_DIR", "var")
    # The services call each other on loopback (the JWKS): never through a proxy set for the outside world.
    for name in ("NO_PROXY", "no_proxy"):
        listed = [host for host in env.get(name, "").split(",") if host]
        env[name] = ",".join(listed + [host for host in ("127.0.0.1", "localhost") if host not in listed])
    return env


def _url(name: str, env: dict[str, str]) -> str:
    return next(spec for spec in SERVICES if spec.name == name).url(env)


def banner(env: dict[str, str]) -> str:
    backends = ", ".join(
        f"{port}={env.get('REXVET_' + port.upper(), default)}"
        for port, default in (("bus", "embedded"), ("documents", "sqlite"), ("blobs", "local"))
    )
    lines = ["", f"rexvet is running ({backends}; data in {env['REXVET_DATA_DIR']}):"]
    for spec in SERVICES:
        lines.append(f"  {spec.name:<9} {spec.url(env)}   (API docs: {spec.url(env)}/docs)")
    if env.get("REXVET_ENV", "development") == "production":
        return "\n".join([*lines, "", "Press Ctrl-C to stop.", ""])
    lines += [
        "",
        f"Open {_url('portal', env)} and sign in on the development sign-in page (any institution, person and roles).",
        "",
        # ./rexvet, not `uv run`: make installs uv where PATH often does not reach; the launcher finds it.
        f"A development token for a staff member (in another terminal, in {Path.cwd()}):",
        "  TOKEN=$(./rexvet auth dev-token --tenant demo --sub alice --roles staff \\",
        "          --scope evidence:write evidence:read coaching:read)",
        "Submit evidence and see coaching record it:",
        f'  curl -s -X POST {_url("evidence", env)}/v1/evidence -H "Authorization: Bearer $TOKEN" \\',
        "       -H 'Content-Type: application/json' -d '{\"title\": \"Hosted a guest from Estonia\"}'",
        f'  curl -s {_url("coaching", env)}/v1/staff/alice/evidence -H "Authorization: Bearer $TOKEN"',
        "",
        "Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    return run(SERVICES, child_environment(), banner)


if __name__ == "__main__":
    sys.exit(main())
