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

# The benchmarks behind docs/performance.md and docs/decisions.md (about 25 minutes on two cores;
# figures in bench/results/): reads of a 200-idea workshop (about 2 minutes, in-process), the vote
# path's and the join path's statements (about 2 minutes each, in-process), then the phones, all
# into one bench/results/performance.json and one set of tables: coprod and the bare baseline at
# 1,000 and 2,000 phones under eventlet (with the sweep at 1,000) and under gevent (no sweep:
# the joins and the burst on its listener); then the cluster (PostgreSQL, Redis, nginx) with 1
# and 2 workers at 1,000 with the sweep, and 2 workers at 500 and 2,000 without.
bench: setup
	$(PY) -m bench.reads --name performance-reads
	$(PY) -m bench.vote_path
	$(PY) -m bench.join_path
	$(PY) -m bench --phones 1000,2000 --modes eventlet,gevent --targets coprod,bare \
		--sweep-up-to 1000 --sweep-modes eventlet --name performance
	$(PY) -m bench --phones 1000 --targets cluster --workers 1,2 --sweep-up-to 1000 \
		--name performance --append
	$(PY) -m bench --phones 500,2000 --targets cluster --workers 2 --sweep-up-to 0 \
		--name performance --append

# New and changed strings into the Welsh and English catalogues, then what is still missing
# (docs/translation.md).
catalogue: setup
	$(PY) -m coprod.catalogue update
	$(PY) -m coprod.catalogue check

lint: setup
	$(VENV)/bin/ruff check coprod tests run.py bench

clean:
	rm -rf $(VENV) node_modules static/vendor
