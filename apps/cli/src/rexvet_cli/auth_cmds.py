"""`rexvet auth ...`: create an institution's OAuth client, mint a development token for a person.

Both act on the issuer's own store and keys (the same settings as the issuer service: `REXVET_*`,
`REXVET_ISSUER_*`), so they work whether or not the issuer is running. They reach the issuer only through its
token service's admin entry (`rexvet_issuer.token_service.admin`), so the issuer's internals stay its own to change.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from typing import Any

from rexvet_common.errors import ConfigurationError, RexvetError
from rexvet_issuer.token_service import admin

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def register(subparsers: Any) -> None:
    auth = subparsers.add_parser("auth", help="OAuth clients and development tokens of the embedded token service")
    commands = auth.add_subparsers(dest="auth_command", metavar="SUBCOMMAND", required=True)

    create = commands.add_parser(
        "create-client", help="create a system's client (client-credentials grant); the secret is shown once"
    )
    create.add_argument("--tenant", required=True, help="institution id")
    create.add_argument("--roles", required=True, nargs="+", help="e.g. hr-system (space- or comma-separated)")
    create.add_argument("--scope", required=True, nargs="+", help="scopes the client may request")
    create.add_argument("--name", help="a label for the client, e.g. the HR system's name")
    create.add_argument("--json", action="store_true", help="print the client as JSON")
    create.set_defaults(func=create_client)

    dev = commands.add_parser("dev-token", help="mint a person's access token for development (refused in production)")
    dev.add_argument("--tenant", required=True, help="institution id")
    dev.add_argument("--sub", required=True, help="the person's staff id in their institution")
    dev.add_argument("--roles", required=True, nargs="+", help="e.g. staff coach (space- or comma-separated)")
    dev.add_argument("--scope", required=True, nargs="+", help="e.g. evidence:write evidence:read coaching:read")
    dev.add_argument("--ttl", type=int, help="lifetime in seconds (default REXVET_ISSUER_DEV_TOKEN_TTL_SECONDS)")
    dev.set_defaults(func=dev_token)


def _words(values: list[str]) -> list[str]:
    return sorted({word for value in values for word in re.split(r"[\s,]+", value) if word})


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"rexvet auth: {message}", file=sys.stderr)
    return code


def create_client(args: argparse.Namespace) -> int:
    roles, scopes = _words(args.roles), _words(args.scope)
    try:
        admin.validate_client_request(args.tenant, roles, scopes)
        settings = admin.load_issuer_settings()
        client = asyncio.run(
            admin.create_client(settings, tenant=args.tenant, roles=roles, scopes=scopes, name=args.name)
        )
    except ValueError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except RexvetError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(_client_json(client, settings), indent=2))
    else:
        print(f"client_id:     {client.record.client_id}")
        print(f"client_secret: {client.secret}")
        print(f"tenant:        {client.record.tenant}")
        print(f"roles:         {' '.join(client.record.roles)}")
        print(f"scope:         {' '.join(client.record.scopes)}")
        print(f"token URL:     {settings.platform.auth_issuer.rstrip('/')}/oauth/token")
        print("The secret is shown only now: store it in the system that will use it.")
    return EXIT_OK


def _client_json(client: admin.NewClient, settings: admin.IssuerSettings) -> dict[str, Any]:
    return {
        "client_id": client.record.client_id,
        "client_secret": client.secret,
        "tenant": client.record.tenant,
        "roles": list(client.record.roles),
        "scope": " ".join(client.record.scopes),
        "token_endpoint": settings.platform.auth_issuer.rstrip("/") + "/oauth/token",
    }


def dev_token(args: argparse.Namespace) -> int:
    roles, scopes = _words(args.roles), _words(args.scope)
    try:
        settings = admin.load_issuer_settings()
        if settings.platform.production:
            return _fail("development tokens are refused when REXVET_ENV=production", EXIT_USAGE)
        admin.validate_client_request(args.tenant, roles, scopes)
        key = admin.development_signing_key(settings)
    except ValueError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ConfigurationError as exc:
        return _fail(str(exc))
    token = admin.mint_dev_token(
        settings, key, tenant=args.tenant, sub=args.sub, roles=roles, scopes=scopes, ttl=args.ttl
    )
    print(token)
    return EXIT_OK
