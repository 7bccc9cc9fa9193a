# factlint: every target bootstraps what it needs (a virtualenv, the CPU build of torch, the package).
#
#   make serve    index the seed articles if needed, then serve on http://127.0.0.1:8000
#   make test     the test suite (fast tests, the real-gunicorn and real-Chromium ones; under 10 minutes)
#   make install  only the virtualenv
#   make browser  what the browser tests need: Debian's chromium (apt-get, when missing and possible)
#                 and Playwright's Python client (pip; its own browser download is never used)
#   make postgresql  what the PostgreSQL tests need: Debian's postgresql (apt-get, when missing and
#                 possible); the tests start a throwaway server of their own (or use
#                 FACTLINT_TEST_POSTGRES_URL) and are skipped with the reason when there is none
#   make eval     measure the checker on ../shared/eval
#   make bench    benchmarks (bench/), not part of make test: 10k, 100k, 1M sentences (most of an
#                 hour or more); make bench BENCH_ARGS=--quick: 10k only (~15 min on a busy machine);
#                 BENCH_ARGS="--store postgres": the PostgreSQL / replicas / Dask benchmarks (bench/scale.py)
#   make load     one minute of concurrent writes and checks against a 2-worker server (bench/load.py)
#   make soak     SIGKILL trials under mixed load for SOAK_MINUTES (5), then what was lost (bench/soak.py)
#
# torch is installed first and pinned, so that sentence-transformers does not pull the CUDA build.
# Here `pip install torch==2.13.0` finds the local CPU wheel; elsewhere pass the CPU index:
#   make install TORCH_INDEX=https://download.pytorch.org/whl/cpu

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_VERSION ?= 2.13.0
TORCH_INDEX ?=
STAMP := $(VENV)/.factlint-installed
BROWSER_STAMP := $(VENV)/.factlint-browser
BENCH_STAMP := $(VENV)/.factlint-bench
BENCH_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

.PHONY: install browser chromium postgresql serve test test-all eval bench load soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

# $(call apt_install,PACKAGE,WHAT): install Debian's PACKAGE with apt-get as root or with
# password-less sudo; where that is impossible, say that WHAT will be skipped.
define apt_install
if ! command -v apt-get >/dev/null 2>&1; then echo "make: no apt-get: install $(1) yourself; $(2) will be skipped" >&2; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) \
	  || echo "make: installing $(1) failed; $(2) will be skipped" >&2; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq \
	  && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) \
	  || echo "make: installing $(1) failed; $(2) will be skipped" >&2; \
	else echo "make: $(1) missing and no root/sudo to install it; $(2) will be skipped" >&2; fi
endef

# The browser tests drive Debian's chromium; without it (and without root or sudo to install it)
# they are skipped with the reason, and the rest of the suite still runs.
chromium:
	@if [ -x "$(CHROMIUM)" ] || command -v chromium >/dev/null 2>&1; then :; \
	else $(call apt_install,chromium,browser tests); fi

# The store tests run on SQLite and on a real PostgreSQL server: Debian's binaries, started by the
# tests themselves in a temporary directory (as the postgres user when run as root).
postgresql:
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || [ -n "$$FACTLINT_TEST_POSTGRES_URL" ]; then :; \
	else $(call apt_install,postgresql,the PostgreSQL tests); fi

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,browser]"
	touch $@

browser: chromium $(BROWSER_STAMP)

serve: install
	$(BIN)/factlint serve

test: install browser postgresql
	$(BIN)/python -m pytest

eval: install
	$(BIN)/factlint eval

# make bench BENCH_ARGS="--store postgres": the PostgreSQL / replicas / Dask benchmarks (bench/scale.py)
# txtai is only the bench's point of comparison; without it the bench says so and goes on
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]" \
	  || echo "make: txtai could not be installed; the bench skips the comparison with it" >&2
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

load: install
	$(BIN)/python bench/load.py

SOAK_MINUTES ?= 5
soak: install
	$(BIN)/python -m bench.soak --minutes $(SOAK_MINUTES)

clean:
	rm -rf $(VENV) data .pytest_cache
