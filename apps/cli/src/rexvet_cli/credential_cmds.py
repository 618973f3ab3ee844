"""`rexvet credential verify` (online, as the verifier service fetches, or `--offline`), `rexvet credential sign`
and (issue 5) `--format jwt` and `rexvet credential bake`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from rexvet_common.errors import ConfigurationError
from rexvet_credentials.baking import BakingError, bake_image
from rexvet_credentials.baking.presented import verify_presented
from rexvet_credentials.clocks import FixedClock, SystemClock
from rexvet_credentials.errors import SigningError
from rexvet_credentials.fetch import GuardedFetcher
from rexvet_credentials.fetch_wiring import network_ports
from rexvet_credentials.jwt.keys import load_jwt_signing_key
from rexvet_credentials.jwt.sign import sign_vc_jwt
from rexvet_credentials.keys import load_signing_key
from rexvet_credentials.offline_documents import PreloadedFetcher
from rexvet_credentials.ports import Clock, DocumentFetcher
from rexvet_credentials.sign import sign_credential
from rexvet_credentials.trusted_issuers import StaticTrustedIssuers
from rexvet_verifier.adapters.fetching import fetch_policy
from rexvet_verifier.settings import load_verifier_settings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("credential", help="verify and sign Open Badges 3.0 credentials")
    commands = group.add_subparsers(dest="credential_command", metavar="SUBCOMMAND")

    verify = commands.add_parser(
        "verify",
        help="verify a credential and print the report (exit 0 verified, 1 failed or incomplete); fetches issuer "
        "documents and status lists as the verifier service does, unless --offline",
    )
    verify.add_argument("file", help="credential: JSON, VC-JWT text, or a baked PNG/SVG image; - for standard input")
    verify.add_argument(
        "--document",
        action="append",
        default=[],
        metavar="URL=PATH",
        help="serve PATH when URL would be fetched (controller documents, status lists) instead of fetching it",
    )
    verify.add_argument(
        "--offline",
        action="store_true",
        help="fetch nothing (air-gapped): documents come only from --document; a check needing another is not run",
    )
    verify.add_argument("--now", help="verify as of this ISO 8601 instant instead of the system clock")
    verify.add_argument("--trusted-issuer", action="append", default=[], metavar="ID", help="a registered issuer id")
    verify.set_defaults(func=_verify)

    sign = commands.add_parser("sign", help="add an eddsa-rdfc-2022 proof and print the signed credential")
    sign.add_argument("file", help="unsigned credential JSON file, or - for standard input")
    sign.add_argument("--key", required=True, help="key file from `rexvet key generate --type ed25519`")
    sign.add_argument("--created", help="proof creation time (ISO 8601); default now")
    # issue 5: --format jwt issues a VC-JWT (RS256 / ES256 / EdDSA by the key's type) instead of a DI proof
    sign.add_argument(
        "--format",
        choices=("di", "jwt"),
        default="di",
        help="di: embedded eddsa-rdfc-2022 proof (default); jwt: VC-JWT, any key type of `rexvet key generate`",
    )
    sign.set_defaults(func=_sign)

    # issue 5: `rexvet credential bake CREDENTIAL IMAGE`
    bake = commands.add_parser("bake", help="bake a signed credential (JSON or VC-JWT) into a PNG or SVG image")
    bake.add_argument("credential", help="signed credential file: JSON with a proof, or a VC-JWT")
    bake.add_argument("image", help="PNG or SVG image file")
    bake.add_argument("--output", "-o", help="write the baked image here (default: standard output)")
    bake.set_defaults(func=_bake)


def _failed(subcommand: str, message: str, exit_code: int) -> int:
    """Why `rexvet credential <subcommand>` cannot go on, said on stderr; its exit code to return."""
    print(f"rexvet credential {subcommand}: {message}", file=sys.stderr)
    return exit_code


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror}") from exc


def _parse_now(value: str | None) -> Clock:
    if value is None:
        return SystemClock()
    try:
        return FixedClock(datetime.fromisoformat(value))
    except ValueError as exc:
        raise UsageError(f"--now {value!r} is not an ISO 8601 date-time (e.g. 2025-01-01T00:00:00Z)") from exc


def _preloaded(documents: list[str], fallback: DocumentFetcher | None) -> PreloadedFetcher:
    fetcher = PreloadedFetcher(fallback=fallback)
    for item in documents:
        url, sep, path = item.partition("=")
        if not sep or not url or not path:
            raise UsageError(f"--document {item!r} must be URL=PATH")
        fetcher.add(url, _read_input(path))
    return fetcher


def _network(offline: bool) -> tuple[DocumentFetcher | None, bool]:
    """The verifier service's own guarded fetcher and policy (its settings: REXVET_ENV, REXVET_VERIFIER_*), and
    whether a did:web of a loopback host is read over http, as the service does.

    Development allows http on loopback, so the issuer of `make run` on 127.0.0.1 (did:web:127.0.0.1%3A8003:...)
    is reachable; production fetches https from public addresses only, exactly as the service would.
    """
    try:
        settings = load_verifier_settings()
    except ConfigurationError as exc:
        if offline:  # nothing is fetched: a did:web names its document by https, as in production
            return None, False
        raise UsageError(f"{exc} (or verify with --offline)") from exc
    if offline:
        # Nothing is fetched, but a did:web on 127.0.0.1 names the same http URL its document was saved from online.
        return None, settings.loopback_fetch_allowed
    return GuardedFetcher(fetch_policy(settings)), settings.loopback_fetch_allowed


def _verify(args: argparse.Namespace) -> int:
    try:
        clock = _parse_now(args.now)
        network, did_web_http_on_loopback = _network(args.offline)
        fetcher = _preloaded(args.document, network)
        data = _read_input(args.file)  # last: a usage error must not wait for standard input
    except UsageError as exc:
        return _failed("verify", str(exc), EXIT_USAGE)
    # The same wiring as the verifier service: key resolution (did:web, controller documents) and status checking
    # (Bitstring Status List, 1EdTechRevocationList) reach documents only through this one fetcher.
    ports = network_ports(clock, fetcher=fetcher, did_web_http_on_loopback=did_web_http_on_loopback)
    report = asyncio.run(  # issue 5: JSON, VC-JWT text or a baked image
        verify_presented(
            data,
            clock=clock,
            key_resolver=ports.key_resolver,
            status_checker=ports.status_checker,
            trusted_issuers=StaticTrustedIssuers(args.trusted_issuer) if args.trusted_issuer else None,
        )
    )
    json.dump(report.to_dict(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK if report.verified else EXIT_FAILED


def _sign(args: argparse.Namespace) -> int:
    try:
        raw = _read_input(args.file)
        key_text = _read_input(args.key).decode("utf-8", errors="replace")
        created = datetime.fromisoformat(args.created) if args.created else None
    except UsageError as exc:
        return _failed("sign", str(exc), EXIT_USAGE)
    except ValueError:
        return _failed("sign", f"--created {args.created!r} is not an ISO 8601 date-time", EXIT_USAGE)
    try:
        credential = json.loads(raw)
    except ValueError as exc:
        return _failed("sign", f"{args.file} is not JSON: {exc}", EXIT_FAILED)
    if args.format == "jwt":  # issue 5
        return _sign_jwt(credential, key_text)
    try:
        signed = sign_credential(credential, load_signing_key(key_text), created=created)
    except SigningError as exc:
        return _failed("sign", f"{exc.message} [{exc.code}]", EXIT_FAILED)
    json.dump(signed, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


# --- issue 5: VC-JWT signing and baking ---------------------------------------------------------------------


def _sign_jwt(credential: Any, key_text: str) -> int:
    try:
        key_document = json.loads(key_text)
    except ValueError as exc:
        return _failed("sign", f"the key file is not JSON: {exc}", EXIT_USAGE)
    try:
        if not isinstance(key_document, dict):
            raise SigningError("the key file is not a JSON object", code="unusable_key")
        token = sign_vc_jwt(credential, load_jwt_signing_key(key_document))
    except SigningError as exc:
        return _failed("sign", f"{exc.message} [{exc.code}]", EXIT_FAILED)
    sys.stdout.write(token + "\n")
    return EXIT_OK


def _bake(args: argparse.Namespace) -> int:
    try:
        credential = _read_input(args.credential).decode("utf-8").strip()
        image = _read_input(args.image)
    except UsageError as exc:
        return _failed("bake", str(exc), EXIT_USAGE)
    except UnicodeDecodeError:
        return _failed("bake", f"{args.credential} is not UTF-8 text", EXIT_USAGE)
    try:
        baked = bake_image(image, credential)
    except BakingError as exc:
        return _failed("bake", f"{exc.message} [{exc.code}]", EXIT_FAILED)
    if args.output is None:
        sys.stdout.buffer.write(baked)
        return EXIT_OK
    try:
        Path(args.output).write_bytes(baked)
    except OSError as exc:
        return _failed("bake", f"cannot write {args.output}: {exc.strerror}", EXIT_FAILED)
    return EXIT_OK
