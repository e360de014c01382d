# Quick start: `make run` (the app, simulated devices) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test bench venv sysdeps-run sysdeps-test clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Stamp files so a second `make` does not reinstall.
# Bytecode is compiled once at install (as pip does for an installed package): the kiosk
# service's code directory is read-only, so Python could not cache it at run time.
PYC := $(BIN)/python -m compileall -q kiosk screens devices central common

$(VENV)/.kiosk-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[kiosk]'
	$(PYC)
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[kiosk,central,test]'
	$(PYC)
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
