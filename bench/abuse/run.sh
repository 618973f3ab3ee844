#!/usr/bin/env bash
# Abuse mix of issue 15 against a verifier process: memory, /healthz p50/p99 and the legitimate verification rate,
# without and with the abuse in the same run. BENCH_ABUSE_SECONDS=5 for a quick run (default 20 s per phase).
set -euo pipefail
cd "$(dirname "$0")/../.."
uv run --frozen python bench/abuse/bench_abuse.py --seconds "${BENCH_ABUSE_SECONDS:-20}" "$@"
