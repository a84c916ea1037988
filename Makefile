# Hagukumi — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test check lint pytest pytest-sqlite pytest-postgres bench-smoke screenshots browser-deps clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip install --quiet -p $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet -p $(BIN)/python --no-deps -e .
	touch $(STAMP)

run: install
	mkdir -p var
	DEBUG=true $(BIN)/hagukumi migrate --noinput
	DEBUG=true $(BIN)/hagukumi load_demo
	@DEBUG=true $(BIN)/hagukumi demo_logins
	@# The import worker (ImportJob) runs beside the server and stops with it.
	DEBUG=true $(BIN)/hagukumi run_jobs & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true $(BIN)/hagukumi runserver $(HOST):$(PORT)

# Everything a fresh clone needs, then every check and the whole suite on SQLite and PostgreSQL.
test: install browser-deps check pytest bench-smoke

browser-deps:
	@bash scripts/browser_deps.sh

check: install
	DEBUG=true $(BIN)/hagukumi makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy hagukumi
	$(BIN)/djlint --lint hagukumi
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_conventions.py

pytest: pytest-sqlite pytest-postgres

pytest-sqlite: install
	DATABASE_URL= $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup

pytest-postgres: install
	@url=$$(bash scripts/test_postgres.sh) && echo "PostgreSQL: $$url" && \
	  DATABASE_URL=$$url HAGUKUMI_REQUIRE_POSTGRES=1 $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup

bench-smoke: install
	@for f in bench/*.py; do echo "== $$f --smoke"; DEBUG=true $(BIN)/python $$f --smoke || exit 1; done

screenshots: install browser-deps
	$(BIN)/pytest -p no:cacheprovider tests/e2e -m e2e -k screenshots --screenshots

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
