# movierec: `make demo` sets up, fetches data, trains and serves; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# DATA: a release name (downloaded from GroupLens) or a local zip/folder/URL of one.
DATA ?= ml-1m
# The release name: DATA itself, or the file name of a local archive (ml-100k.zip -> ml-100k).
DATASET ?= $(basename $(notdir $(patsubst %/,%,$(DATA))))
FROM := $(if $(filter $(DATA),$(DATASET)),,--from $(DATA))
PRESET ?= default
# PORT: where `make demo`, `make serve` and `make serve-dev` listen (on 127.0.0.1).
PORT ?= 8000
# The demo and `make serve` run with DEBUG off (the site's own error pages); serve-dev keeps it on.
DEMO_SETTINGS := DJANGO_SETTINGS_MODULE=movierec_site.settings.demo

.PHONY: demo test test-quick lint bench bench-web serve serve-dev serve-prod screenshots messages clean help

help:
	@echo "make demo [DATA=ml-1m|path-or-url] [PORT=8000]"
	@echo "                                    set up, fetch, prepare, train and serve on 127.0.0.1:PORT"
	@echo "make test                           the whole suite, then the web tests on PostgreSQL"
	@echo "make test-quick                     the suite without the tests marked slow (< 1 min)"
	@echo "make lint                           ruff"
	@echo "make serve [PORT=8000]              the site on the published model (dev server, DEBUG off)"
	@echo "make serve-dev [PORT=8000]          the same with DEBUG on: Django's debug pages, for developers"
	@echo "make serve-prod                     the site under gunicorn (needs DJANGO_SECRET_KEY, ALLOWED_HOSTS)"
	@echo "make bench                          speed and memory benchmarks (slow)"

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned to the CPU build, so nothing pulls a CUDA build in its place.
	$(BIN)/python -m pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[train,web,dev,postgres]'
	touch $(STAMP)

# The site's translation catalogues, compiled with polib (no gettext needed); only stale ones.
messages: $(STAMP)
	@$(BIN)/python -m movierec_site.translations

# The port is checked first, so a busy one is said before minutes of setup and training, and
# again just before the server starts (scripts/demo-rest).
demo:
	@$(PYTHON) scripts/check_port.py $(PORT) "make demo"
	@$(MAKE) --no-print-directory $(STAMP) messages
	$(BIN)/movierec data fetch $(DATASET) $(FROM)
	$(BIN)/movierec data prepare $(DATASET)
	@$(DEMO_SETTINGS) scripts/demo-rest $(DATASET) $(PRESET) $(PORT)

# The web suite runs twice: on SQLite with the rest, then on a throwaway PostgreSQL cluster.
test: $(STAMP) messages
	$(BIN)/python -m pytest
	$(BIN)/python scripts/with_postgres.py $(BIN)/python -m pytest tests/web

test-quick: $(STAMP) messages
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/load_prepare.py
	$(BIN)/python benchmarks/train_speed.py
	$(BIN)/python benchmarks/engine_speed.py
	$(BIN)/python benchmarks/quality.py

bench-web: $(STAMP)
	$(BIN)/python benchmarks/web_load.py

serve: $(STAMP) messages
	@$(PYTHON) scripts/check_port.py $(PORT) "make serve"
	$(DEMO_SETTINGS) $(BIN)/python manage.py migrate --noinput
	$(DEMO_SETTINGS) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve-dev: $(STAMP) messages
	@$(PYTHON) scripts/check_port.py $(PORT) "make serve-dev"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve-prod: $(STAMP) messages
	DJANGO_SETTINGS_MODULE=movierec_site.settings.prod $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=movierec_site.settings.prod $(BIN)/python manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=movierec_site.settings.prod $(BIN)/gunicorn movierec_site.wsgi:application \
	  --preload --workers 2 --bind 127.0.0.1:8000

screenshots: $(STAMP) messages
	MOVIEREC_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/web/test_browser.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
