# Safer: `make run` to try it, `make test` to check it. Both install what they need into .venv.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SAFER := $(BIN)/safer
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run demo test lint types check bandit pytest browser assets clean bench

help:
	@echo "make run    install, prepare the demo database and serve Safer on http://$(HOST):$(PORT)"
	@echo "make test   install and run every check (lint, types, migrations, deploy, tests)"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make assets rebuild the vendored GOV.UK Frontend and htmx assets (needs npm)"

# Reinstalled whenever pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Safer needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# The local demo: DEBUG and demo accounts on, SQLite under var/. Safe to run again: it migrates,
# reloads the agreement only where it changed, and keeps every account and record already there.
demo: $(BIN)/.installed
	DEBUG=1 $(SAFER) migrate --noinput
	DEBUG=1 $(SAFER) load-agreement
	DEBUG=1 $(SAFER) load-lsoas
	DEBUG=1 $(SAFER) load-demo

run: demo
	@echo "Safer is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DEBUG=1 $(SAFER) runserver $(HOST):$(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(BIN)/.installed
	$(BIN)/mypy

# Migrations committed and complete; deploy checks clean under production settings.
check: $(BIN)/.installed
	$(SAFER) makemigrations --check --dry-run
	DEBUG=0 SAFER_DEMO=0 ALLOWED_HOSTS=safer.example.org \
	  SECRET_KEY=production-like-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
	  $(SAFER) check --deploy --fail-level WARNING

# Security lint of Safer's own code: no high-severity finding is allowed.
bandit: $(BIN)/.installed
	$(BIN)/bandit --quiet --recursive src --severity-level high

browser:
	@scripts/ensure-system-packages

pytest: $(BIN)/.installed browser
	$(BIN)/pytest

test: lint types check bandit pytest

assets:
	cd frontend && npm ci && npm run build

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache .ruff_cache

# The import and page benchmarks (not part of `make test`), SQLite and PostgreSQL: 1,000,000
# police.uk rows; a 100,000-row incident extract into 1,000,000 incidents.
bench:
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/import_police.py
	$(BIN)/python bench/import_incidents.py
