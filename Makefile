# Opportunity Map: `make run` starts the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501
BIN := $(VENV)/bin

.PHONY: run test test-fast db demo bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

db: $(VENV)/.installed
	$(BIN)/python -m workshop db upgrade

demo: db
	$(BIN)/python -m workshop demo --if-empty

run: demo
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Domain and page tests only, without the browser.
test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not browser"

bench: $(VENV)/.installed
	$(BIN)/python -m bench.concurrency
	$(BIN)/python -m bench.live_voting
	$(BIN)/python -m bench.page_reruns
	$(BIN)/python -m bench.deliverables
	$(BIN)/python -m bench.cohort
	$(BIN)/python -m bench.access_checks
	$(BIN)/python -m bench.room_clicks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
