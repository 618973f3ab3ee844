#!/usr/bin/env bash
# HR push -> credential stored -> visible on the ladder, through evidence, coaching, issuer and verifier as processes:
# embedded and, when the shared servers are configured (eval "$(bash scripts/infra/infra.sh env)"), Kafka + FerretDB
# + S3 in the same run. BENCH_PIPELINE_STAFF=200 (or --staff 200) for a quick run; default 1,000 badges per phase.
set -euo pipefail
cd "$(dirname "$0")/../.."
args=(--backend embedded --staff "${BENCH_PIPELINE_STAFF:-1000}")
if [ -n "${REXVET_KAFKA_BOOTSTRAP_SERVERS:-}" ] && [ -n "${REXVET_MONGO_URL:-}" ] && [ -n "${REXVET_S3_ENDPOINT:-}" ]; then
  args+=(--backend kafka)
else
  echo "(Kafka + FerretDB + S3 skipped: eval \"\$(bash scripts/infra/infra.sh env)\" first)"
fi
exec uv run --frozen python bench/pipeline/bench.py "${args[@]}" "$@"
