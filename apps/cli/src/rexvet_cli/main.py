"""`rexvet` command line: each command group lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module exposes `register(subparsers)` and sets `func` on its parsers; a group whose module
# is missing (not built yet) is simply not offered.
COMMAND_MODULES = (
    "rexvet_cli.credential_cmds",
    "rexvet_cli.key_cmds",
    "rexvet_cli.status_list_cmds",
    "rexvet_cli.auth_cmds",
)

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rexvet", description="rexvet: Open Badges 3.0 for VET staff")
    subparsers = parser.add_subparsers(dest="group", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    result: int = func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
