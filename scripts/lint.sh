#!/usr/bin/env bash
# `make lint`, and the first step of `make test`: ruff, the format check and mypy strict over the code and tests/.
# Stops at the first tool that finds something (a non-zero exit fails `make test` before any test runs).
set -euo pipefail
cd "$(dirname "$0")/.."
UV="$(command -v uv 2>/dev/null || echo "$HOME/.local/bin/uv")"

echo "lint: ruff check"
"$UV" run --frozen ruff check --quiet .
echo "lint: ruff format --check"
"$UV" run --frozen ruff format --check --quiet .
echo "lint: mypy --strict (libraries, services, CLI)"
"$UV" run --frozen mypy libs/common/src libs/credentials/src services apps/cli/src

# pytest imports a test module by its bare name from the first folder above it without __init__.py (its default
# "prepend" import mode), so `from make_run import ...` and `from contract.support import ...` work. mypy must see
# the same names: each such folder is a package base for it. Left out: folders with their own conftest.py, since
# mypy can hold only one top-level module `conftest` (tests/conftest.py); nothing imports those by name.
test_bases=()
while IFS= read -r dir; do
  if [ "$dir" = tests ] || [ ! -e "$dir/conftest.py" ]; then test_bases+=("$dir"); fi
done < <(find tests \( -name node_modules -o -name __pycache__ \) -prune -o -type d ! -exec test -e {}/__init__.py \; -print | sort)
echo "lint: mypy --strict (tests)"
MYPYPATH="$(IFS=:; echo "${test_bases[*]}")" "$UV" run --frozen mypy --explicit-package-bases tests
echo "lint: import contracts and declared dependencies"
UV="$UV" bash scripts/lint-architecture.sh
