#!/usr/bin/env bash
# The public verify endpoint under HTTP load against the HTTP floor (wrk, alternating in one invocation).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null; then
  # Debian's wrk, as scripts/browser/ensure-chromium.sh installs chromium
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q wrk >/dev/null; else sudo apt-get install -y -q wrk >/dev/null; fi
fi
exec uv run --frozen python bench/verifier/bench.py "$@"
