# Hagukumi — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run dev test check lint pytest pytest-sqlite pytest-postgres bench-smoke screenshots browser-deps clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip install --quiet -p $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet -p $(BIN)/python --no-deps -e .
	touch $(STAMP)

# The demo through the production path: DEBUG off, gunicorn, WhiteNoise (hashed,
# compressed static files), the Japanese error pages. Plain http on the loopback,
# so HAGUKUMI_HTTPS=false (no secure cookies, no HSTS). The demo-only SECRET_KEY
# is made once under var/ and passed in the environment, as production does.
DEMO_SECRET_KEY := var/demo_secret_key
DEMO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
DEMO_ENV = DEBUG=false HAGUKUMI_HTTPS=false ALLOWED_HOSTS='$(DEMO_ALLOWED_HOSTS)' \
  SECRET_KEY="$$(cat $(DEMO_SECRET_KEY))"

# collectstatic (hashing and brotli/gzip) only when a static file or a dependency changed.
STATIC_MANIFEST := $(or $(HAGUKUMI_DATA_DIR),var)/static/staticfiles.json

run: install $(DEMO_SECRET_KEY) $(STATIC_MANIFEST)
	@echo "== DEBUG=false HAGUKUMI_HTTPS=false SECRET_KEY=<$(DEMO_SECRET_KEY)>: migrate, load_demo"
	@$(DEMO_ENV) $(BIN)/hagukumi migrate --noinput
	@$(DEMO_ENV) $(BIN)/hagukumi load_demo
	@$(DEMO_ENV) $(BIN)/hagukumi demo_logins
	@echo "== gunicorn (2 workers) on http://$(HOST):$(PORT)/ and hagukumi run_jobs; Ctrl-C stops both"
	@# The import worker (ImportJob) runs beside the server and stops with it.
	@$(DEMO_ENV) $(BIN)/hagukumi run_jobs & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/gunicorn hagukumi.wsgi:application --bind $(HOST):$(PORT) --workers 2 \
	    --no-control-socket

$(DEMO_SECRET_KEY): | $(STAMP)
	mkdir -p $(@D)
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@.tmp
	chmod 600 $@.tmp && mv $@.tmp $@

$(STATIC_MANIFEST): requirements.lock hagukumi/settings.py $(shell find hagukumi -path '*/static/*' -type f) | $(STAMP) $(DEMO_SECRET_KEY)
	@echo "== collectstatic into $(@D) (hashed names, .br/.gz)"
	@$(DEMO_ENV) $(BIN)/hagukumi collectstatic --noinput -v 0
	@touch $@

# Development: DEBUG=true, Django's runserver (reloads on change, debug pages).
dev: install
	mkdir -p var
	DEBUG=true $(BIN)/hagukumi migrate --noinput
	DEBUG=true $(BIN)/hagukumi load_demo
	@DEBUG=true $(BIN)/hagukumi demo_logins
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
