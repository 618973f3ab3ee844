#!/usr/bin/env bash
# Runs the Kafka consumer SIGKILL test (tests/integration/test_kafka_consumer_sigkill.py) N times (default 20) against
# the servers the environment names (eval "$(bash scripts/infra/infra.sh env)" for the local ones) and reports how
# many runs failed. Exit 0 only when none did.
#
#   bash scripts/sigkill-repeat.sh [N]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [number of runs, default 20]" >&2; exit 2; }
uv="${UV:-$(command -v uv || echo "$HOME/.local/bin/uv")}"
failures=0
for ((i = 1; i <= runs; i++)); do
	log="$(mktemp)"
	if "$uv" run --frozen pytest tests/integration/test_kafka_consumer_sigkill.py -q -p no:cacheprovider >"$log" 2>&1; then
		echo "run $i/$runs: passed"
	else
		failures=$((failures + 1))
		echo "run $i/$runs: FAILED"
		grep -E '^E ' "$log" | head -n 5
	fi
	rm -f "$log"
done
echo "sigkill test: $failures failures in $runs runs"
((failures == 0))
