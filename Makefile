# Qoljetim — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8501
API_PORT ?= 8000
API_WORKERS ?= 2
# Streamlit's upload limit follows the app's own (whole megabytes).
MAX_FILE_MB ?= $(shell v="$${QOLJETIM_MAX_FILE_MB:-50}"; echo "$${v%%.*}")

.PHONY: setup browser index run api worker test eval bench clean-index

setup: $(STAMP)

# torch first, pinned: the CPU build lies on this machine's disk; a bare `torch` would pull a CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Incremental: a no-op (well under a second) when nothing changed.
index: setup
	$(PY) -m indexer build

# The app opens at once: the indexing worker runs beside it and builds a missing or stale index as a job
# whose progress the Library page shows. Stopping the app (Ctrl-C) stops the worker.
run: setup
	@$(PY) -m assistant worker --enqueue-if-stale & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) -m streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false \
		--server.fileWatcherType none --server.maxUploadSize $(MAX_FILE_MB)

# The HTTP API (OpenAPI at /docs); keys come from `python -m assistant users add NAME --role ROLE`.
api: index
	$(PY) -m uvicorn assistant.serve.api:create_app --factory --host $(HOST) --port $(API_PORT) \
		--workers $(API_WORKERS) --no-server-header

worker: setup
	$(PY) -m assistant worker

# Debian's Chromium for the one real-browser test; where apt is not available the test skips and says why.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
		echo "note: apt-get could not install chromium; the browser test will be skipped with its reason"; \
	else echo "note: no apt-get as root here; the browser test will be skipped with its reason"; fi

test: setup browser
	$(PY) -m pytest -q

bench: index
	$(PY) bench/bench_index.py

clean-index:
	rm -rf data/index
