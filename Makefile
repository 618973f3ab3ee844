# rexvet: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
# uv on PATH, else where `pip install --user` puts it (pip's user scheme: ~/.local/bin on Linux, often not on PATH).
# (site.getuserbase(), not `python -m site --user-base`: inside a virtual environment that prints the base AND exits
# 1, which made the fallback print a second one.)
USER_BIN := $(shell python3 -c 'import site; print(site.getuserbase())' 2>/dev/null || echo $(HOME)/.local)/bin
UV := $(shell command -v uv 2>/dev/null || echo $(USER_BIN)/uv)
PYTEST := $(UV) run --frozen pytest

.PHONY: run test test-fast lint infra-up infra-down bench readme translations uv sync

# Install uv with the machine's Python when it is missing: `make run` needs only Python and make. It is not put on
# PATH: the README's commands go through ./rexvet, which finds it here.
uv:
	@test -x $(UV) || \
	  (echo "installing uv into $(USER_BIN)" && PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 \
	    python3 -m pip install --user --quiet uv==0.13.8 && test -x $(UV)) || \
	  (echo "rexvet: could not install uv into $(USER_BIN) with python3 -m pip install --user; install uv 0.13.8" \
	        "(https://docs.astral.sh/uv/) and run make again" >&2; exit 1)

sync: uv
	@$(UV) sync --frozen --quiet

## Start the four services with the embedded defaults (SQLite, local files, local event log) under ./var/.
run: sync
	@$(UV) run --frozen python -m rexvet_cli.platform

## Lint, then every test tier: unit, contract (embedded and real engines), integration, end-to-end, interop.
test: sync
	@bash scripts/test-all.sh

## Unit and contract tests on the embedded adapters: no servers, no node, no browser.
test-fast: sync
	@$(PYTEST) -m "not integration and not e2e and not interop and not browser and not fuzz" -q

## ruff check, ruff format --check, mypy strict over the code and tests/ (also the first step of `make test`).
lint: sync
	@bash scripts/lint.sh

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

## Rewrite the portal's, the verifier's and the development sign-in page's message catalogs (locales/*/messages.po) from their tools/*translations.py.
translations: sync
	@$(UV) run --frozen python services/portal/tools/translations.py
	@$(UV) run --frozen python services/verifier/tools/page_translations.py
	@$(UV) run --frozen python services/issuer/tools/signin_translations.py
