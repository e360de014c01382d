# Quick start: `make run` (the app, simulated devices) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test bench venv sysdeps-run sysdeps-test clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Stamp files so a second `make` does not reinstall.
$(VENV)/.kiosk-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[kiosk]'
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[kiosk,central,test]'
	touch $@

sysdeps-run:
	sh scripts/sysdeps.sh run

sysdeps-test:
	sh scripts/sysdeps.sh test

run: sysdeps-run $(VENV)/.kiosk-installed
	$(BIN)/kiosk run --simulate

test: sysdeps-test $(VENV)/.test-installed
	$(BIN)/python -m pytest -q

bench: sysdeps-test $(VENV)/.test-installed
	$(BIN)/python -m bench

clean:
	rm -rf build $(VENV) *.egg-info
