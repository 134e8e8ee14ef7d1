# presskit: `make kit` builds the example press kit, `make test` runs the tests.
# Both set everything up first: Debian packages, a virtual environment, presskit.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: kit test lint bench setup system-deps reference-docx clean

kit: setup
	$(BIN)/presskit build

test: setup lint
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_mail.py

setup: system-deps $(STAMP)

system-deps:
	@tools/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Regenerate the Word reference styles and the example's placeholder logos.
reference-docx: setup
	$(BIN)/python tools/make_reference_docx.py

clean:
	rm -rf $(VENV) output/*/ .pytest_cache .mypy_cache .ruff_cache
