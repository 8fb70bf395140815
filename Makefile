# The README's two commands come first: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.installed

.PHONY: run test lint fmt migrations-check demo bench loadtest messages deploy-check deps lock clean

## Run the app with demo data on SQLite at http://127.0.0.1:8000, with a job worker beside it
run: $(DEPS)
	bash scripts/system-packages.sh run
	$(PY) manage.py build_demo --if-empty
	$(PY) manage.py setup_schedules
	@# A job worker (django-q2) beside the dev server, stopped with it (Ctrl-C).
	$(PY) manage.py qcluster & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: $(DEPS)
	bash scripts/system-packages.sh test
	$(MAKE) --no-print-directory $(SSO_PROVIDER)
	$(PY) -m pytest $(PYTEST_ARGS)

# The OpenID Connect provider (npm's oidc-provider) that tests/sso signs in against, from its lock file.
SSO_PROVIDER := tests/sso/provider/node_modules/.package-lock.json
$(SSO_PROVIDER): tests/sso/provider/package-lock.json
	npm ci --prefix tests/sso/provider --no-audit --no-fund --loglevel=error
	touch $@

deps: $(DEPS)

# Installs exactly the pinned, hash-checked versions of requirements-dev.lock (which holds the
# runtime pins of requirements.lock too); reinstalls when a lock file changes.
$(DEPS): requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

## Pin requirements*.txt into the lock files with hashes (LOCK_ARGS=--upgrade for newer versions)
lock:
	test -x $(VENV)/bin/pip-compile || { test -x $(PY) || $(PYTHON) -m venv $(VENV); $(PY) -m pip install --quiet pip-tools; }
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links $(LOCK_ARGS) \
		--output-file requirements.lock requirements.txt
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links $(LOCK_ARGS) \
		--output-file requirements-dev.lock requirements-dev.txt

lint: $(DEPS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(DEPS)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(DEPS)
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: $(DEPS)
	DEBUG=false SECRET_KEY=ci-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdefghij \
	ALLOWED_HOSTS=planportal.example.se $(PY) manage.py check --deploy --fail-level WARNING

## Rebuild the demo database from scratch (deletes what var/planportal.sqlite3 holds)
demo: $(DEPS)
	$(PY) manage.py build_demo

## Measure speed; figures go to docs/benchmarks.md (BENCH=name runs one)
bench: $(DEPS)
	bash scripts/system-packages.sh run
	$(PY) bench/run.py $(BENCH)

## Load test: locust, 50 users for 2 minutes, against gunicorn and PostgreSQL with the national dataset
loadtest: $(DEPS)
	$(PY) loadtest/run.py

## Update the Swedish translations after changing interface text
messages: $(DEPS)
	$(PY) manage.py makemessages -l sv --no-obsolete --ignore=.venv --ignore=var --ignore=node_modules
	$(PY) manage.py compilemessages -l sv --ignore=.venv

clean:
	rm -rf $(VENV) var/planportal.sqlite3
