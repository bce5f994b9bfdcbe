# render — every target does its own setup on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
MODELS  := models/.installed

.PHONY: setup models demo test test-fast eval-attribution bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

models: $(MODELS)

$(MODELS): $(STAMP) render/data/assets.json
	$(BIN)/render assets install
	touch $(MODELS)

demo: models
	$(BIN)/render book manuscripts/the-lighthouse-keepers.md --cast configs/the-lighthouse-keepers.cast.yaml -o out/the-lighthouse-keepers --format m4b
	$(BIN)/render book manuscripts/night-shift.fountain --cast configs/night-shift.cast.yaml -o out/night-shift

test: models
	$(BIN)/python -m pytest -q

test-fast: models
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf out

eval-attribution: $(STAMP)
	$(BIN)/python bench/eval_attribution.py

bench: models
	$(BIN)/python bench/bench_validation.py
	$(BIN)/python bench/bench_attribution.py
