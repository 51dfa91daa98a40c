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

.PHONY: help run serve test messages messages-update gettext axe lint format check-python clean bench bench-library bench-safety train-safety chromium fuzz

help:
	@echo "make run    install, migrate, load the health library and serve MedBotX on http://$(HOST):$(PORT)"
	@echo "make test   install and run the whole test suite"
	@echo "make serve  WORKERS processes on one port, for PostgreSQL + Redis (see docs/deploy.md)"
	@echo "make lint   ruff check and format check, mypy"
	@echo "make bench  the load benchmark (see docs/benchmarks.md)"
	@echo "make bench-library  the library search benchmark at 100 and 10,000 topics"
	@echo "make train-safety   rebuild the safety classifier and its about-health head (docs/safety.md, docs/library.md)"
	@echo "make bench-safety   CPU and memory per message of the safety triage"
	@echo "make fuzz   schemathesis against the API, over a thousand cases"

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

# The pages' translations, compiled from locale/<lang>/LC_MESSAGES/django.po whenever the .po changes.
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
%.mo: %.po $(VENV)/.installed
	@$(BIN)/python -m medbotx.translations
messages: $(MESSAGES)
# After changing a marked string: gather them into every catalogue (needs GNU gettext), then translate the new ones.
messages-update: $(VENV)/.installed
	$(BIN)/python manage.py makemessages --all --add-location=file \
	  --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=test-artifacts

# `make run` serves as production does, minus HTTPS: DEBUG off (`DEBUG=1 make run` for development), plain HTTP,
# and a secret key made once into SECRET_KEY_FILE (git-ignored, readable by you alone) and reused, so sessions
# survive restarts. What the environment sets wins. The settings themselves never write a key when DEBUG is off:
# a deployment without SECRET_KEY still refuses to start.
SECRET_KEY_FILE ?= .secret_key
run: $(VENV)/.installed $(MESSAGES)
	@export SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0} \
	  SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-0}; \
	  if [ -z "$$SECRET_KEY" ]; then \
	    test -s "$(SECRET_KEY_FILE)" || (umask 077 && \
	      $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))' > "$(SECRET_KEY_FILE)"); \
	    export SECRET_KEY=$$(cat "$(SECRET_KEY_FILE)"); \
	  fi; \
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py load_library && \
	  $(BIN)/python manage.py recover_replies && \
	  $(BIN)/python manage.py purge_guests && \
	  echo "MedBotX on http://$(HOST):$(PORT)  (Ctrl+C stops it)" && \
	  exec $(BIN)/python -m medbotx.server -b $(HOST) -p $(PORT) medbotx.asgi:application

# Several Daphne processes on one port, for PostgreSQL + Redis (DATABASE_URL, REDIS_URL; see docs/deploy.md).
WORKERS ?= 2
serve: $(VENV)/.installed $(MESSAGES)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_library
	exec $(BIN)/python manage.py serve --workers $(WORKERS) --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev chromium gettext axe $(MESSAGES)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A Debian package the tests need, installed with apt-get when missing and possible (as root, or with sudo).
# $(1): the program that shows it is there, $(2): the package, $(3): what is skipped without it.
define apt_install
@command -v $(1) >/dev/null || { \
  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then sudo=; \
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then sudo=sudo; \
  else echo "No $(1) and no apt-get to install it: $(3) will be skipped."; exit 0; fi; \
  echo "Installing Debian's $(2) for $(3)"; \
  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; }
endef

# The browser tests use Debian's Chromium; without it they are skipped (CI sets MEDBOTX_REQUIRE_BROWSER=1 and
# fails instead). GNU gettext: the test that the Spanish catalogue has every marked string (CI requires it too).
CHROMIUM ?= /usr/bin/chromium
chromium:
	$(call apt_install,$(CHROMIUM),chromium,the browser tests)
gettext:
	$(call apt_install,xgettext,gettext,the catalogue test)
# axe-core, the accessibility checker the browser tests run in every page (pinned, checked, into .cache/).
axe: $(VENV)/.installed
	@$(BIN)/python -m tests.browser.fetch_axe

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.loadgen $(BENCH_ARGS)

# The API fuzz run at full size (CI runs a bounded one): figures in docs/reliability.md.
fuzz: $(VENV)/.installed-dev
	MEDBOTX_FUZZ_EXAMPLES=100 $(BIN)/python -m pytest -p no:cacheprovider -s tests/test_fuzz.py

bench-library: $(VENV)/.installed-dev
	$(BIN)/python -m bench.library $(BENCH_ARGS)

# The safety classifier: trained from assistant/safety/corpus/ into assistant/safety/model/ (docs/safety.md).
train-safety: $(VENV)/.installed-dev
	$(BIN)/python -m assistant.safety.train $(TRAIN_ARGS)

bench-safety: $(VENV)/.installed-dev
	$(BIN)/python -m bench.safety $(BENCH_ARGS)
