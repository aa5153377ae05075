# Quick start: `make demo` sets everything up and runs the demo; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install browser

$(BIN)/revteam: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/revteam

demo: install
	$(BIN)/revteam demo

# The whole suite on SQLite, then again on PostgreSQL (scripts/test.sh says how to point it).
test: install
	scripts/test.sh
