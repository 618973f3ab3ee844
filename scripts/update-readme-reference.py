"""Write the generated configuration reference into README.md between its markers (`make readme`)."""

from __future__ import annotations

import sys
from pathlib import Path

from rexvet_cli.config_reference import reference_markdown

START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


def with_reference(readme: str) -> str:
    if START not in readme or END not in readme:
        sys.exit(f"README.md lacks the markers {START} ... {END}")
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{reference_markdown()}\n{END}{tail}"


if __name__ == "__main__":
    path = Path(__file__).resolve().parents[1] / "README.md"
    path.write_text(with_reference(path.read_text(encoding="utf-8")), encoding="utf-8")
