#!/usr/bin/env bash
# `make lint`'s architecture step: the import contracts (import-linter, configured in the root pyproject.toml) and,
# for every workspace package, that its pyproject declares exactly what its src imports (deptry: nothing declared
# and unused, nothing imported and undeclared or only there through another package). A new package under libs/,
# services/ or apps/ is checked without editing this script.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-$(command -v uv 2>/dev/null || echo "$HOME/.local/bin/uv")}"

status=0
# The contracts' summary line when they are kept; the whole report, with each broken chain, when one is not.
if contracts="$("$UV" run --frozen lint-imports --no-cache 2>&1)"; then
  grep '^Contracts:' <<<"$contracts"
else
  sed -n '/^Contracts$/,$p' <<<"$contracts"
  status=1
fi

for package in libs/*/ services/*/ apps/*/; do
  [ -f "$package/pyproject.toml" ] || continue
  # deptry reads the pyproject.toml of the folder it runs in, so each package is checked against its own.
  if ! report="$(cd "$package" && "$UV" run --frozen deptry src 2>&1)"; then
    echo "${package%/}: its pyproject.toml and its imports disagree (declare what src imports, drop what it does not):"
    echo "$report"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "dependencies: every workspace package declares exactly what its src imports"
exit "$status"
