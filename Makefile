# presskit: `make kit` builds the example press kit, `make test` runs the tests.
# Each sets up what it needs first, and only that: `make kit` the Debian packages a
# build needs and presskit in a virtual environment; `make test` also the test-only
# packages (LibreOffice, Chromium and its driver, poppler-utils) and Python tools.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KIT_STAMP  := $(VENV)/.installed-kit
TEST_STAMP := $(VENV)/.installed-test

.PHONY: kit test fuzz lint bench docs guide-pictures setup setup-kit setup-test reference-docx clean

kit: setup-kit
	$(BIN)/presskit build examples/french-tech-hauts-de-france-2019.yaml

# Two processes, each taking whole test files (some tests read what an earlier test
# of their file gathered); TEST_JOBS=0 runs them in this one.
TEST_JOBS ?= 2

test: setup-test lint
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile

# The property tests exploring at random, ten times as many examples as `make test`
# draws from its fixed sequence; what they find becomes an @example in the test.
fuzz: setup-test
	PRESSKIT_FUZZ=1 $(BIN)/python -m pytest tests/test_properties.py \
		tests/test_word_import_properties.py tests/test_site_trust.py

lint: setup-test
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks
	$(BIN)/mypy

bench: setup-test
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_preview.py
	$(BIN)/python benchmarks/bench_mail.py
	$(BIN)/python benchmarks/bench_site.py
	$(BIN)/python benchmarks/bench_kit.py

setup: setup-test

setup-kit:
	@tools/install-system-deps.sh kit
	@$(MAKE) --no-print-directory $(KIT_STAMP)

setup-test:
	@tools/install-system-deps.sh test
	@$(MAKE) --no-print-directory $(TEST_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pip compiles the bytecode of what it installs, but not of an editable install's own
# sources: done here, else a machine with PYTHONDONTWRITEBYTECODE set compiles presskit
# on every command.
$(KIT_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src
	touch $@ $(KIT_STAMP)

# The user guide, built strict into site-docs/ (open site-docs/index.html); its
# content-file reference is generated from the JSON Schema at each build.
docs: setup-test
	$(BIN)/mkdocs build --strict --site-dir site-docs

# Redraw the guide's pictures (docs/img/) from real outputs of the example; commit them.
guide-pictures: setup-test
	$(BIN)/python tools/make_guide_pictures.py

# Regenerate the Word reference styles and the example's placeholder logos.
reference-docx: setup-kit
	$(BIN)/python tools/make_reference_docx.py

clean:
	rm -rf $(VENV) output/*/ site-docs .pytest_cache .mypy_cache .ruff_cache
