#!/usr/bin/env bash
# `make bench`: every benchmark in bench/, each comparing side by side in one run and printing its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in bench/*/run.sh; do
  [ -f "$script" ] || continue
  echo "== $script"
  bash "$script"
done
