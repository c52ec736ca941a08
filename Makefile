# 浙江省信用协会 portal. Quick start: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-dev messages demo test-postgres test-browser bench serve-prod fault-test scale-test check-deploy clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

messages: $(VENV)/.runtime  ## compile the zh_Hans catalogues (pure Python, no gettext needed)
	$(BIN)/python scripts/i18n.py compile

demo: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@$(BIN)/python scripts/check_pdf_font.py

run: demo  ## set up and serve the demo on http://127.0.0.1:8000 (SQLite)
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev messages  ## the whole suite (SQLite)
	$(BIN)/python -m pytest -q

lint: install-dev  ## ruff, layering contracts (import-linter), migrations, translations
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/i18n.py check
	$(BIN)/python scripts/i18n.py conflicts
	$(BIN)/python scripts/i18n.py upstream
	$(BIN)/python scripts/workflows.py --check

test-postgres: install-dev messages  ## the suite on a real PostgreSQL server (see scripts/with-postgres.sh)
	scripts/with-postgres.sh $(BIN)/python -m pytest -q

test-browser: install-dev messages  ## Playwright + Debian Chromium journeys
	$(BIN)/python -m pytest -q -m browser tests/browser

bench: install-dev messages
	$(BIN)/python bench/run_all.py

serve-prod: install messages
	deploy/serve-prod.sh

fault-test: install messages  ## production profile with Redis, PostgreSQL and SMTP made to fail (deploy/fault_test.py)
	$(BIN)/python deploy/fault_test.py

scale-test: install messages  ## two app servers sharing PostgreSQL and Redis: publication, sessions, rate limits, jobs exactly once (deploy/scale_test.py)
	$(BIN)/python deploy/scale_test.py

check-deploy: install
	DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-0123456789abcdef \
	ALLOWED_HOSTS=portal.example.org $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3* media private_media staticfiles test-artifacts
