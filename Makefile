# coprod: `make run` starts the app, `make test` runs every test. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_READY := $(VENV)/.requirements-installed
NPM_READY := node_modules/.package-lock-installed

.PHONY: run test setup system-packages lint bench clean catalogue

run: setup
	$(PY) run.py

# The layering contracts (pyproject.toml), then the whole suite twice: on SQLite (the embedded
# default), then on PostgreSQL (a private server the tests start and stop themselves).
test: system-packages setup
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(PY) -m pytest
	COPROD_TEST_DATABASE=postgresql $(PY) -m pytest

setup: $(PY_READY) $(NPM_READY)

$(PY_READY): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(NPM_READY): package.json package-lock.json scripts/vendor.mjs
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:
	./.ci/system-packages

# The benchmarks behind docs/performance.md and docs/decisions.md (about 30 minutes on two cores;
# figures in bench/results/): reads of a 200-idea workshop (about 2 minutes, in-process), the vote
# path's statements three ways (about 2 minutes, in-process), then the phones.
bench: setup
	$(PY) -m bench.reads --name performance-reads
	$(PY) -m bench.vote_path
	$(PY) -m bench --phones 1000,2000 --modes eventlet,gevent --targets coprod,bare --name performance

# New and changed strings into the Welsh and English catalogues, then what is still missing
# (docs/translation.md).
catalogue: setup
	$(PY) -m coprod.catalogue update
	$(PY) -m coprod.catalogue check

lint: setup
	$(VENV)/bin/ruff check coprod tests run.py bench

clean:
	rm -rf $(VENV) node_modules static/vendor
