"""`rexvet status-list create|set|clear|get`: Bitstring Status List credentials, signed with the issuer's key.

A list is a BitstringStatusListCredential file. `create` makes an empty one (at least 131,072 entries); `set`
and `clear` change one entry and sign the list again (the old proof no longer matches); `get` prints an entry.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rexvet_credentials.errors import SigningError
from rexvet_credentials.keys import Ed25519SigningKey, load_signing_key
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.status.bitstring import MIN_ENTRIES, Bitstring, StatusListFormatError
from rexvet_credentials.status.list_credential import PURPOSES, build_list_credential, with_bitstring

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class CommandError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("status-list", help="create and update Bitstring Status List credentials")
    commands = group.add_subparsers(dest="status_list_command", metavar="SUBCOMMAND")

    create = commands.add_parser("create", help="print a new, signed, empty status list credential")
    create.add_argument("--url", required=True, help="the URL the list will be published at (its id)")
    create.add_argument("--key", required=True, help="the issuer's key file (rexvet key generate --type ed25519)")
    create.add_argument("--purpose", choices=PURPOSES, default="revocation", help="statusPurpose (default revocation)")
    create.add_argument("--size", type=int, default=MIN_ENTRIES, help=f"entries (at least {MIN_ENTRIES})")
    create.add_argument("--ttl", type=int, metavar="SECONDS", help="how long verifiers may cache the list")
    create.add_argument("--valid-until", help="ISO 8601 end of the list's validity (optional)")
    create.add_argument("--output", "-o", help="write to this file instead of standard output")
    create.set_defaults(func=_run(_create))

    for name, value in (("set", True), ("clear", False)):
        change = commands.add_parser(
            name, help=f"{name} one entry (revoke/suspend with set, reinstate with clear) and sign the list again"
        )
        change.add_argument("file", help="the status list credential file")
        change.add_argument("index", type=int, help="statusListIndex of the credential")
        change.add_argument("--key", required=True, help="the issuer's key file (the list's issuer)")
        change.add_argument("--output", "-o", help="write here instead of standard output (may be FILE itself)")
        change.set_defaults(func=_run(_change), value=value)

    get = commands.add_parser("get", help="print 1 when the entry is set, 0 when it is not")
    get.add_argument("file", help="the status list credential file")
    get.add_argument("index", type=int, help="statusListIndex")
    get.set_defaults(func=_run(_get))


def _run(command: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            result: int = command(args)
        except CommandError as exc:
            print(f"rexvet status-list: {exc}", file=sys.stderr)
            return exc.exit_code
        return result

    return run


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}", EXIT_USAGE) from exc


def _key(path: str) -> Ed25519SigningKey:
    try:
        return load_signing_key(_read(path).decode("utf-8", errors="replace"))
    except SigningError as exc:
        raise CommandError(f"{path}: {exc.message}", EXIT_USAGE) from exc


def _sign(credential: dict[str, Any], key: Ed25519SigningKey) -> dict[str, Any]:
    try:
        return sign_credential(credential, key)
    except SigningError as exc:
        raise CommandError(f"cannot sign the list: {exc.message} [{exc.code}]") from exc


def _write(document: dict[str, Any], output: str | None) -> None:
    text = json.dumps(document, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror}") from exc


def _create(args: argparse.Namespace) -> int:
    if args.size < MIN_ENTRIES or args.size % 8:
        raise CommandError(f"--size must be a multiple of 8 and at least {MIN_ENTRIES}", EXIT_USAGE)
    valid_until = None
    if args.valid_until:
        try:
            valid_until = datetime.fromisoformat(args.valid_until)
        except ValueError as exc:
            raise CommandError(f"--valid-until {args.valid_until!r} is not ISO 8601", EXIT_USAGE) from exc
    key = _key(args.key)
    unsigned = build_list_credential(
        list_url=args.url,
        issuer=key.controller,
        purpose=args.purpose,
        bitstring=Bitstring(args.size),
        valid_from=datetime.now(UTC),
        valid_until=valid_until,
        ttl=timedelta(seconds=args.ttl) if args.ttl is not None else None,
    )
    _write(_sign(unsigned, key), args.output)
    return EXIT_OK


def _load_list(path: str) -> tuple[dict[str, Any], Bitstring]:
    try:
        document = json.loads(_read(path))
        encoded = document["credentialSubject"]["encodedList"]
        return document, Bitstring.decode(encoded)
    except (ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"{path} is not a status list credential ({exc})") from exc
    except StatusListFormatError as exc:
        raise CommandError(f"{path}: {exc.message}") from exc


def _check_index(bits: Bitstring, index: int) -> None:
    if not 0 <= index < bits.length:
        raise CommandError(f"index {index} is outside the list (0..{bits.length - 1})", EXIT_USAGE)


def _change(args: argparse.Namespace) -> int:
    document, bits = _load_list(args.file)
    _check_index(bits, args.index)
    key = _key(args.key)
    bits.set(args.index, args.value)
    _write(_sign(with_bitstring(document, bits), key), args.output)
    return EXIT_OK


def _get(args: argparse.Namespace) -> int:
    _document, bits = _load_list(args.file)
    _check_index(bits, args.index)
    print(1 if bits.get(args.index) else 0)
    return EXIT_OK
