"""`rexvet key generate`: a new signing key as a JSON key file on standard output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rexvet_credentials.keys import generate_key_document


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("key", help="signing keys")
    commands = group.add_subparsers(dest="key_command", metavar="SUBCOMMAND")
    generate = commands.add_parser("generate", help="print a new key pair (JSON, contains the private key)")
    generate.add_argument(
        "--type",
        choices=("ed25519", "p256", "rsa"),
        default="ed25519",
        help="ed25519: Multikey for eddsa-rdfc-2022 (default); p256 / rsa: JWK for VC-JWT",
    )
    generate.set_defaults(func=_generate)


def _generate(args: argparse.Namespace) -> int:
    json.dump(generate_key_document(args.type), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
