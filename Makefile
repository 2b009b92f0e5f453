# ECM Inspect: `make demo` runs the product, `make test` runs the whole test suite.
# Both install what they need first (Python packages into .venv/, npm packages into
# node_modules/, Pango for PDF rendering and Chromium for the browser tests, from Debian) and
# reuse what is already there.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The tests run in one process per core (pytest-xdist); TEST_WORKERS=0 runs them in this one.
TEST_WORKERS ?= auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DJANGO_SETTINGS_MODULE ?= ecm_inspect.config.settings.dev

.DEFAULT_GOAL := help
SERVE_SETTINGS ?= ecm_inspect.config.settings.production
.PHONY: help install install-prod pdf-libs chromium demo serve worker test lint typecheck bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(VENV)/.installed node_modules/.installed ## Install Python (with tests and lint tools) and npm packages (pinned)

install-prod: $(VENV)/.installed-prod node_modules/.installed ## Install only what production runs (requirements.lock) and npm packages

# requirements-dev.lock is requirements.lock (what production runs) plus the dev extra (tests,
# lint, load tools), with the same versions; both hash every file (docs/deployment.md). The
# checkout itself is installed after, without dependencies, outside the hashed install.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "ECM Inspect needs Python 3.11 (Django 5.2 LTS); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-prod: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "ECM Inspect needs Python 3.11 (Django 5.2 LTS); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

pdf-libs: ## Install the Pango libraries WeasyPrint renders PDF letters and reports with (if missing)
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation; }

chromium: ## Install Debian's Chromium for the browser tests (if missing)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium fonts-liberation; }

demo: install pdf-libs ## Install, load the Framework and demo data into var/, serve on http://127.0.0.1:8000 with a task worker
	@mkdir -p var
	$(BIN)/ecm migrate --noinput
	$(BIN)/ecm demo
	@# The task worker (planning jobs, e-mails, report PDFs) runs beside the web server and
	@# stops with it.
	$(BIN)/ecm db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/ecm runserver $(HOST):$(PORT)

serve: install-prod pdf-libs ## Serve with gunicorn and production settings on HOST:PORT (docs/deployment.md)
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/ecm collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) HOST=$(HOST) PORT=$(PORT) \
	  $(BIN)/gunicorn --config python:ecm_inspect.config.gunicorn ecm_inspect.config.wsgi

worker: install-prod pdf-libs ## Run a task worker with production settings: the database queue, or RQ when ECM_TASKS=rq
	@export DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS); \
	if [ "$${ECM_TASKS:-database}" = rq ]; then \
	  exec $(BIN)/ecm rqworker --with-scheduler --job-class django_tasks_rq.Job default; \
	else \
	  exec $(BIN)/ecm db_worker --no-reload; \
	fi

test: install pdf-libs chromium ## Run the whole test suite (DATABASE_URL selects PostgreSQL)
	DJANGO_SETTINGS_MODULE=ecm_inspect.config.settings.test $(BIN)/pytest -n $(TEST_WORKERS)

lint: install ## ruff, mypy and the apps' layers (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install ## Run the benchmarks and print their figures
	$(BIN)/python benchmarks/run.py

clean: ## Remove the virtualenv, node_modules and var/
	rm -rf $(VENV) node_modules var
