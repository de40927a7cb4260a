# The two commands of the README are `make serve` and `make test`; everything else is set-up
# they call. Nothing here needs anything installed by hand on a fresh Debian machine with
# Python 3.11 (and root for the Debian packages the browser tests use).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
GAZETTE ?= $(SHARED)/gazette/kunming-gazette-2010-no15.txt
HOST   ?= 127.0.0.1:8000

# Apache ECharts, pinned; vendored into the static files from the npm registry by the set-up
# (scripts/vendor_echarts.sh): the pages draw charts offline, with no CDN.
ECHARTS_VERSION := 5.6.0
ECHARTS_DIR := src/kmgov/web/static/web/vendor/echarts
# The design system: GOV.UK Frontend compiled with npm's sass into the kmgov theme
# (src/kmgov/web/styles/kmgov.scss) by scripts/vendor_govuk.sh; output git-ignored.
GOVUK_VERSION := 6.6.0
SASS_VERSION := 1.108.2
GOVUK_THEME := src/kmgov/web/styles/kmgov.scss
GOVUK_DIR := src/kmgov/web/static/web/vendor/govuk

.PHONY: setup serve test browser lint bench vendor

setup: $(VENV)/.installed vendor

vendor: $(ECHARTS_DIR)/.v$(ECHARTS_VERSION) $(GOVUK_DIR)/.v$(GOVUK_VERSION)-$(SASS_VERSION)

$(ECHARTS_DIR)/.v$(ECHARTS_VERSION):
	@command -v npm >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	rm -rf $(ECHARTS_DIR)
	scripts/vendor_echarts.sh $(ECHARTS_VERSION) $(ECHARTS_DIR)
	touch $@

$(GOVUK_DIR)/.v$(GOVUK_VERSION)-$(SASS_VERSION): $(GOVUK_THEME) scripts/vendor_govuk.sh
	@command -v npm >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	rm -rf $(GOVUK_DIR)
	scripts/vendor_govuk.sh $(GOVUK_VERSION) $(SASS_VERSION) $(GOVUK_THEME) $(GOVUK_DIR)
	touch $@

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Serves the platform on http://$(HOST) on the embedded SQLite default (or $DATABASE_URL).
serve: setup
	$(BIN)/kmgov setup $(if $(wildcard $(GAZETTE)),--gazette $(GAZETTE))
	$(BIN)/kmgov runserver $(HOST) --noreload

# Debian's Chromium and CJK fonts for the browser tests (a browser download of its own fails here).
browser:
	@test -x /usr/bin/chromium && fc-list :lang=zh | grep -q . || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# Runs the whole suite on $DATABASE_URL (default: SQLite).
test: setup browser
	$(BIN)/pytest -q $(PYTEST_ARGS)

# ruff (pyproject [tool.ruff]) and the layer contracts (pyproject [tool.importlinter]); no reformatting.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

bench: setup
	$(BIN)/python benchmarks/gazette.py
