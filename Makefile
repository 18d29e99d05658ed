# OpenPCN: two commands on a fresh machine (Python 3.11, Node 20, git, PostgreSQL running).
#   make demo   install, migrate, import NHS data, create demo users, serve on :8000
#   make test   ruff, then the whole test suite on SQLite and again on PostgreSQL
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := var/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export OPENPCN_DATA ?= $(abspath ../shared/data/raw)
PG_URL ?= postgres://postgres@127.0.0.1:5432

.PHONY: demo test install assets browser lint check-python

check-python:
	@command -v $(PYTHON) >/dev/null || { echo "OpenPCN needs Python 3.11 ($(PYTHON) not found)"; exit 1; }

$(UV): | check-python
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	$(MAKE) --no-print-directory assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The NHS.UK frontend and Vega builds are copied into build/static (never committed),
# then collected with our own static files into var/static for whitenoise.
assets: node_modules/.package-lock.json
	rm -rf build/static/vendor && mkdir -p build/static/vendor/nhsuk build/static/vendor/vega
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css* build/static/vendor/nhsuk/
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js* build/static/vendor/nhsuk/
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets build/static/vendor/nhsuk/assets
	cp node_modules/vega/build/vega.min.js* node_modules/vega-lite/build/vega-lite.min.js* \
	   node_modules/vega-embed/build/vega-embed.min.js* build/static/vendor/vega/
	OPENPCN_ENV=production OPENPCN_SECRET_KEY=collectstatic-only \
	  $(RUN)/python -m django collectstatic --noinput --clear -v 0 --settings openpcn.web.site.settings

browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: install
	$(RUN)/ruff check src tests benchmarks
	$(RUN)/ruff format --check src tests benchmarks

demo: install
	mkdir -p var
	[ -s var/secret-key ] || $(RUN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret-key
	export OPENPCN_ENV=production OPENPCN_LOCAL_HTTP=1 OPENPCN_SECRET_KEY="$$(cat var/secret-key)"
	$(RUN)/openpcn db migrate
	$(RUN)/openpcn data demo-load
	$(RUN)/openpcn demo users
	$(RUN)/openpcn demo population
	$(RUN)/openpcn demo finance
	$(RUN)/openpcn demo rota
	$(RUN)/openpcn serve --host 127.0.0.1 --port 8000

test: install browser
	$(RUN)/ruff check src tests benchmarks
	$(RUN)/ruff format --check src tests benchmarks
	echo "== tests on SQLite =="
	OPENPCN_ENV=test $(RUN)/pytest -q
	DB=openpcn_test_$$$$
	echo "== tests on PostgreSQL ($$DB) =="
	OPENPCN_ENV=test DATABASE_URL=$(PG_URL)/$$DB $(RUN)/pytest -q --create-db
