#!/usr/bin/env bash
# Chaos at scale: the chaos drill (tests/e2e/chaos_drill.py) with 1,000 staff, embedded and on Kafka + FerretDB + S3
# servers of its own (scripts/infra on free ports; the shared ones are never restarted). BENCH_CHAOS_STAFF=200 for a
# quick run, BENCH_CHAOS_BACKENDS="embedded" for one backend, REXVET_CHAOS_SEED to replay a plan.
set -euo pipefail
cd "$(dirname "$0")/../.."
args=(--staff "${BENCH_CHAOS_STAFF:-1000}")
for backend in ${BENCH_CHAOS_BACKENDS:-embedded kafka}; do args+=(--backend "$backend"); done
uv run --frozen python bench/chaos/bench_chaos.py "${args[@]}"
