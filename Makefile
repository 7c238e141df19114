# viva: two commands for a fresh machine.
#   make run   create .venv, install viva, start a rehearsal on the default track
#              (TRACK=... to pick another)
#   make test  install the test extras, run lint, types and the whole suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TRACK  ?= go/raft-kv
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: run test lint types unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	@touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/viva rehearse $(TRACK)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: $(VENV)/.installed-test
	$(BIN)/mypy --strict src

unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest --cov=viva --cov-report=term --cov-fail-under=85

test: lint types unit

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/suite.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .coverage
