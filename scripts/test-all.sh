#!/usr/bin/env bash
# `make test`: every tier. Starts the real Kafka, FerretDB and S3 servers once for the whole run (built once and
# cached outside the repository by scripts/infra/infra.sh), installs the pinned node packages the interop tests and
# benchmarks compare with, runs pytest over all tiers, and stops only the servers it started.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="$(command -v uv 2>/dev/null || echo "$HOME/.local/bin/uv")"

# Lint first (ruff, the format check, mypy strict including tests/): a finding fails `make test` before any test.
bash scripts/lint.sh

# Servers already running (a developer's `make infra-up`) are used and left running; only those this run starts
# are stopped at its end.
started=()
cleanup() {
  if [ "${#started[@]}" -gt 0 ]; then
    # Quietly when all goes well: pytest's summary line stays the last line of the output (CI reads it).
    local stop_log
    stop_log="$(mktemp)"
    bash scripts/infra/infra.sh down "${started[@]}" >"$stop_log" 2>&1 || cat "$stop_log" >&2
    rm -f "$stop_log"
  fi
}
trap cleanup EXIT

for server in kafka mongo s3; do
  if ! bash scripts/infra/infra.sh status "$server" >/dev/null 2>&1; then started+=("$server"); fi
done
if [ "${#started[@]}" -gt 0 ]; then bash scripts/infra/infra.sh up "${started[@]}"; fi
eval "$(bash scripts/infra/infra.sh env)"

# Node packages pinned by package-lock.json, installed offline-safe from the npm registry.
for dir in tests/interop/js bench/credentials/js tests/browser/js; do
  # also when the lock file changed since the last install (npm writes node_modules/.package-lock.json)
  if [ -f "$dir/package-lock.json" ] && { [ ! -d "$dir/node_modules" ] \
      || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# Debian's chromium for tests/browser, installed once when missing; when it cannot be, those tests fail saying how.
bash scripts/browser/ensure-chromium.sh >/dev/null || true

"$UV" run --frozen pytest -q -p no:cacheprovider "$@"
