# MedBotX: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv on their own with the newest working Python 3.12+.

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The newest Python >= 3.12 that actually runs: first on PATH, then in pyenv.
# (A pyenv shim can exist on PATH and still fail, so every candidate is executed.)
define find_python
(for c in python3.14 python3.13 python3.12 python3 \
         $$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -Vr); do \
  if "$$c" -c 'import sys, sqlite3, ssl, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$c"; exit 0; fi; \
done; exit 1)
endef

.PHONY: help run serve test lint format check-python clean bench

help:
	@echo "make run    install, migrate and serve MedBotX on http://$(HOST):$(PORT)"
	@echo "make test   install and run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make bench  the load benchmark (see docs/benchmarks.md)"

check-python:
	@$(find_python) >/dev/null || { \
	  echo "MedBotX needs Python 3.12 or newer and none was found on PATH or in pyenv." >&2; \
	  echo "Install one (for example 'pyenv install 3.13') and run make again." >&2; exit 1; }

$(BIN)/python: | check-python
	@py=$$( $(find_python) ); echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	  "$$py" -m venv $(VENV) && $(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@

run: $(VENV)/.installed
	@export DEBUG=$${DEBUG:-1}; \
	  $(BIN)/python manage.py migrate --noinput && \
	  echo "MedBotX on http://$(HOST):$(PORT)  (Ctrl+C stops it)" && \
	  exec $(BIN)/daphne -b $(HOST) -p $(PORT) medbotx.asgi:application

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.loadgen $(BENCH_ARGS)
