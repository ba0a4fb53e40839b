# Qoljetim — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: setup index run test eval bench clean-index

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

run: index
	$(PY) -m streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: setup
	$(PY) -m pytest -q

bench: index
	$(PY) bench/bench_index.py

clean-index:
	rm -rf data/index
