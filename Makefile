# The two commands a new user needs: `make run` and `make test`. Both create .venv and install.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test install install-test bench bench-publish clean

run: $(VENV)/.installed-run
	$(BIN)/newskg run articles --out output

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

install: $(VENV)/.installed-run

install-test: $(VENV)/.installed-test

bench: $(VENV)/.installed-run
	$(BIN)/python bench/run.py

bench-publish: $(VENV)/.installed-test
	$(BIN)/python bench/publish.py --articles 1000

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newskg needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) .pytest_cache
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
