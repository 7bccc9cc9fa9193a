# factlint: every target bootstraps what it needs (a virtualenv, the CPU build of torch, the package).
#
#   make serve    index the seed articles if needed, then serve on http://127.0.0.1:8000
#   make test     the test suite (fast tests and the real-gunicorn ones; under 10 minutes)
#   make install  only the virtualenv
#   make eval     measure the checker on ../shared/eval
#   make bench    benchmarks (bench/), not part of make test
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

.PHONY: install serve test test-all eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

serve: install
	$(BIN)/factlint serve

test: install
	$(BIN)/python -m pytest

eval: install
	$(BIN)/factlint eval

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data .pytest_cache
