#!/usr/bin/env bash
# The real-engine adapters against the raw drivers (Kafka: aiokafka; documents: PyMongo on FerretDB), alternating,
# median of 5 runs each. Starts the local servers when they are not running, and then stops only those it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
UV="$(command -v uv 2>/dev/null || echo "$HOME/.local/bin/uv")"
started=0
if ! bash scripts/infra/infra.sh status kafka mongo >/dev/null 2>&1; then
	bash scripts/infra/infra.sh up kafka mongo
	started=1
fi
trap '[ "$started" = 1 ] && bash scripts/infra/infra.sh down kafka mongo || true' EXIT
"$UV" run --frozen python bench/engines/bench_engines.py "$@"
