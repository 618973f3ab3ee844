#!/usr/bin/env bash
# Coaching: eligibility replay (10,000 staff, 100,000 events) and ladder latency, embedded and, when the local
# infrastructure runs (make infra-up), Kafka + FerretDB in the same run. BENCH_COACHING_STAFF=500 for a quick run.
set -euo pipefail
cd "$(dirname "$0")/../.."
staff="${BENCH_COACHING_STAFF:-10000}"
args=(--backend embedded)
if [ -n "${REXVET_KAFKA_BOOTSTRAP_SERVERS:-}" ] && [ -n "${REXVET_MONGO_URL:-}" ]; then
  args+=(--backend kafka)
else
  echo "(Kafka + FerretDB skipped: set REXVET_KAFKA_BOOTSTRAP_SERVERS and REXVET_MONGO_URL, see make infra-up)"
fi
uv run --frozen python bench/coaching/bench_eligibility.py "${args[@]}" --staff "$staff"
