# lwnkb: `make run` and `make test` work on a fresh clone (they call `install`).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/lwnkb
REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: install system-deps run test test-fast test-sqlite test-postgres lint audit bench archive bench-archive load worker screenshots clean

install: $(STAMP)

$(STAMP): requirements/base.txt requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==26.0
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $(STAMP)

# The embedded default: SQLite and a search index under var/, tasks inline.
run: export LWNKB_DEBUG ?= true
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py lwn_load_samples
	$(PY) manage.py lwn_reindex --if-needed
	$(PY) manage.py runserver $(HOST):$(PORT)

# Chromium (browser tests) and wrk (load test): installed when run as root, else
# one message naming what is missing and the apt-get command. See .ci/system-deps.
system-deps:
	@.ci/system-deps

# The whole suite, in parallel (pytest-xdist; each worker has its own test database,
# index folders and Redis database). PostgreSQL when one answers on 127.0.0.1:5432
# (always with CI=true), else SQLite. 4 workers: on 2 cores as fast as 2 (many tests
# wait on Celery workers, gunicorn or Chromium), and they use more cores where there
# are. TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 4
XDIST = -n $(TEST_WORKERS) --dist loadgroup
test: system-deps install
	$(PY) -m tests.run_suite $(XDIST) $(ARGS)

# The quick tier: everything but the slow, browser and load tests; needs no Chromium or wrk.
test-fast: install
	$(PY) -m tests.run_suite $(XDIST) -m "not slow and not browser and not load" $(ARGS)

test-sqlite: system-deps install
	LWNKB_TEST_DB=sqlite $(PY) -m tests.run_suite $(XDIST) $(ARGS)

test-postgres: system-deps install
	LWNKB_TEST_DB=postgres $(PY) -m tests.run_suite $(XDIST) $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	LWNKB_DEBUG=true $(VENV)/bin/mypy lwnkb articles tests bench
	$(VENV)/bin/lint-imports
	LWNKB_DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

# Known vulnerabilities in every pinned dependency, from PyPI's advisory data
# (AUDIT_ARGS="-s osv" asks OSV instead). --strict: a dependency the service could not
# look up fails the audit, so an unreachable service never reads as "no vulnerabilities".
AUDIT_ARGS ?=
audit: install
	$(VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off $(AUDIT_ARGS) \
	  -r requirements/base.txt -r requirements/dev.txt

bench: install
	$(PY) -m bench

# A generated LWN archive (docs/performance.md, "The generated archive"): SCALE=1.0 is
# the full 29 years; OUT= the folder, SEED= the seed.
SCALE ?= 0.01
OUT ?= var/archive-$(SCALE)
archive: install
	$(PY) -m bench.archive --scale $(SCALE) --out $(OUT) $(if $(SEED),--seed $(SEED))

# Import that archive (make archive first) into its own database with a Celery worker,
# then measure search, pages, the API, load and maintenance at that size
# (docs/performance.md, "The full archive"). STAGES= a subset, e.g. search,pages.
STAGES ?= import,search,pages,api,load,maintenance
bench-archive: install
	$(PY) -m bench.archive_bench --scale $(SCALE) --archive $(OUT) --stages $(STAGES)

# 60 s of wrk (50 connections) on gunicorn while a bulk import runs; fails on any 5xx.
load: install
	$(PY) -m bench.load $(ARGS)

# A PNG of every page kind (tests/browser/pages.py) in docs/screenshots/: desktop light
# and dark at 1280 px, phone at 360 px, from the browser tests' sample data.
screenshots: system-deps install
	$(PY) -m tests.run_suite -q tests/browser/screenshots.py

worker: install
	@test -n "$$LWNKB_BROKER_URL" || (echo "Set LWNKB_BROKER_URL, e.g. $(REDIS_URL)" >&2; exit 2)
	$(VENV)/bin/celery -A lwnkb worker --beat --loglevel=info --queues=celery,index

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
