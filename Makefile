# rexvet: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PYTEST := $(UV) run --frozen pytest

.PHONY: run test test-fast lint infra-up infra-down bench readme uv sync

# Install uv with the machine's Python when it is missing: `make run` needs only Python and make.
uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || \
	  (echo "installing uv into ~/.local" && python3 -m pip install --user --quiet uv==0.13.8)

sync: uv
	@$(UV) sync --frozen --quiet

## Start the four services with the embedded defaults (SQLite, local files, local event log) under ./var/.
run: sync
	@$(UV) run --frozen python -m rexvet_common.runner

## Every test tier: unit, contract (embedded and real engines), integration, end-to-end, interop.
test: sync
	@bash scripts/test-all.sh

## Unit and contract tests on the embedded adapters: no servers, no node.
test-fast: sync
	@$(PYTEST) -m "not integration and not e2e and not interop" -q

lint: sync
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen mypy libs/common/src libs/credentials/src services apps/cli/src
	@UV=$(UV) bash scripts/lint-architecture.sh

## Local Kafka, FerretDB and S3 server on 127.0.0.1, built once and cached in ~/.cache/rexvet.
infra-up:
	@bash scripts/infra/infra.sh up

infra-down:
	@bash scripts/infra/infra.sh down

bench: sync
	@bash bench/run-all.sh

## Regenerate the README's configuration reference from the settings classes.
readme: sync
	@$(UV) run --frozen python scripts/update-readme-reference.py
