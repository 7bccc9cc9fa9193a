# factlint: every target bootstraps what it needs (a virtualenv, the CPU build of torch, the package).
#
#   make serve    index the seed articles if needed, then serve on http://127.0.0.1:8000
#   make test     the test suite (fast tests, the real-gunicorn and real-Chromium ones; under 10 minutes)
#   make install  only the virtualenv
#   make browser  what the browser tests need: Debian's chromium (apt-get, when missing and possible)
#                 and Playwright's Python client (pip; its own browser download is never used)
#   make eval     measure the checker on ../shared/eval
#   make bench    benchmarks (bench/), not part of make test: 10k, 100k, 1M sentences (most of an
#                 hour or more); make bench BENCH_ARGS=--quick: 10k only (~15 min on a busy machine)
#   make load     one minute of concurrent writes and checks against a 2-worker server (bench/load.py)
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

.PHONY: install browser chromium serve test test-all eval bench load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

# The browser tests drive Debian's chromium; without it (and without root or sudo to install it)
# they are skipped with the reason, and the rest of the suite still runs.
chromium:
	@if [ -x "$(CHROMIUM)" ] || command -v chromium >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "make: no apt-get: install Chromium yourself; browser tests will be skipped" >&2; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	  || echo "make: installing chromium failed; browser tests will be skipped" >&2; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq \
	  && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	  || echo "make: installing chromium failed; browser tests will be skipped" >&2; \
	else echo "make: chromium missing and no root/sudo to install it; browser tests will be skipped" >&2; fi

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,browser]"
	touch $@

browser: chromium $(BROWSER_STAMP)

serve: install
	$(BIN)/factlint serve

test: install browser
	$(BIN)/python -m pytest

eval: install
	$(BIN)/factlint eval

# txtai is only the bench's point of comparison; without it the bench says so and goes on
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]" \
	  || echo "make: txtai could not be installed; the bench skips the comparison with it" >&2
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

load: install
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) data .pytest_cache
