#!/usr/bin/env bash
# Credential engine benchmark: rexvet vs Digital Bazaar's JS stack, alternating in one invocation.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d js/node_modules ]; then
  (cd js && npm ci --no-audit --no-fund --silent)
fi
cd ../..
exec uv run --frozen python bench/credentials/bench.py "$@"
