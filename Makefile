# The two commands of the README:
#   make run    set up .venv, install, build the events from data/corpus, serve on http://127.0.0.1:8050
#   make test   set up .venv with the test extras, install Debian's chromium + chromedriver if missing, check the
#               layering (import-linter contracts in pyproject.toml), run every test and every docstring example
# and, when the dashboard's look changed:
#   make screenshots   redraw the README's docs/screenshots/*.png from the seed store (no test run writes them)
SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8050
STORE  ?= data/store
CORPUS ?=        # empty: the CLI's default, data/corpus plus data/uploads when present

.PHONY: run test build serve setup setup-test browser bench clean screenshots

run: setup build serve

setup: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[scale,serve]'
	touch $@

setup-test: $(VENV)/.installed-test
$(VENV)/.installed-test: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,scale,serve]'
	touch $(VENV)/.installed $@

# Debian's Chromium and its driver for the browser tests and the image export (kaleido), when missing.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "chromium/chromedriver missing: run 'sudo apt-get install -y chromium chromium-driver'"; fi

build: setup
	$(PY) -m dashboard build $(if $(strip $(CORPUS)),--corpus $(CORPUS)) --store $(STORE)

serve: setup
	$(PY) -m dashboard serve --store $(STORE) --port $(PORT)

# DuckDB's bindings report "leaked" objects at interpreter exit (harmless: the process is ending); they
# are filtered so that pytest's summary stays the last line. pytest's own exit status is kept.
test: setup-test browser
	$(VENV)/bin/lint-imports --no-cache
	set -o pipefail; $(PY) -m pytest -q 2>&1 | grep --line-buffered -vE '^(nanobind: | - leaked | - \.\.\. skipped remainder|See https://nanobind)'

screenshots: setup-test browser
	DASHBOARD_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q -m browser tests/test_app_browser.py \
	  tests/test_map_layers_browser.py \
	  -k "loads_with_points_on_both_graphs_offline or click_opens_provenance or density_layer_switches_on"

bench: setup-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) data/store data/store.generations .pytest_cache
