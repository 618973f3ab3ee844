#!/usr/bin/env bash
# Portal: median and p99 server time of the ladder and the coach's queue for an institution of 10,000 staff, beside
# a static page of the same size through the same app, and the calls each page makes to the other services.
# BENCH_PORTAL_STAFF=500 for a quick run; BENCH_PORTAL_COACHEES (500), BENCH_PORTAL_ROUNDS (200).
set -euo pipefail
cd "$(dirname "$0")/../.."
UV="$(command -v uv 2>/dev/null || echo "$HOME/.local/bin/uv")"
"$UV" run --frozen python bench/portal/run.py "$@"
