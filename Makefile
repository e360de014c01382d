# Quick start: `make run` (a simulated kiosk with a local central service; scripts/demo.py) and
# `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The browser tests drive Debian's /usr/bin/chromium (scripts/sysdeps.sh test) through Playwright's
# Python package; Playwright's own browser downloads are never used.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test bench venv sysdeps-run sysdeps-test clean catalogs

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Stamp files so a second `make` does not reinstall.
# Bytecode is compiled once at install (as pip does for an installed package): the kiosk
# service's code directory is read-only, so Python could not cache it at run time. Both plain
# and -O bytecode (-o 0 -o 1): the kiosk service runs with PYTHONOPTIMIZE=1.
PYC := $(BIN)/python -m compileall -q -o 0 -o 1 kiosk screens devices central common

# `make run` needs the central service too (scripts/demo.py starts one next to the kiosk).
$(VENV)/.run-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[kiosk,central]'
	$(PYC)
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[kiosk,central,test]'
	$(PYC)
	touch $@

# Translation catalogs (.po) compiled to .mo; only those older than their .po are rewritten.
# The kiosk's and the central service's staff pages (central/locale).
catalogs:
	$(BIN)/python -m kiosk.i18n compile kiosk/locale central/locale

sysdeps-run:
	sh scripts/sysdeps.sh run

sysdeps-test:
	sh scripts/sysdeps.sh test

run: sysdeps-run $(VENV)/.run-installed catalogs
	$(BIN)/python scripts/demo.py

# Two workers (pytest-xdist), one test file per worker at a time: many tests wait on processes,
# browsers and servers, so two workers finish the suite in about two thirds of the time on 2 cores.
test: sysdeps-test $(VENV)/.test-installed catalogs
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: sysdeps-test $(VENV)/.test-installed catalogs
	$(BIN)/python -m bench

clean:
	rm -rf build $(VENV) *.egg-info
