# The README's two commands come first: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.installed

.PHONY: run test lint fmt migrations-check demo bench messages deploy-check deps clean

## Run the app with demo data on SQLite at http://127.0.0.1:8000
run: $(DEPS)
	bash scripts/system-packages.sh run
	$(PY) manage.py build_demo --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: $(DEPS)
	bash scripts/system-packages.sh test
	$(PY) -m pytest $(PYTEST_ARGS)

deps: $(DEPS)

$(DEPS): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

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

## Update the Swedish translations after changing interface text
messages: $(DEPS)
	$(PY) manage.py makemessages -l sv --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l sv --ignore=.venv

clean:
	rm -rf $(VENV) var/planportal.sqlite3
