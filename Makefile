# viva: two commands for a fresh machine.
#   make run    create .venv, install viva, start a rehearsal on the default track
#               (TRACK=... to pick another)
#   make test   install the test extras, run lint, types and the whole suite
#               (the slow end-to-end tests and the lowest-versions check included)
# and one for the inner loop while working:
#   make check  lint, types and the tests not marked slow (under two minutes)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TRACK  ?= go/raft-kv
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
PYTEST := $(BIN)/python -m pytest

.PHONY: run test check lint types unit fast bench imports sysdeps audiodeps clean

# What WeasyPrint needs from the system beyond Python: Pango (with its FreeType
# backend), fontconfig and a font. Installed with apt-get where that is possible
# (root on Debian or Ubuntu); elsewhere the message names the packages.
# libharfbuzz-subset0 is optional (faster PDF writing): `viva doctor` says.
PANGO_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libfontconfig.so.1
APT_PKGS   := libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-dejavu-core

sysdeps:
	@missing=""; \
	for lib in $(PANGO_LIBS); do \
	  /sbin/ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$lib"; \
	done; \
	{ command -v fc-list >/dev/null && fc-list | grep -qi dejavu; } || missing="$$missing DejaVu-fonts"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing what WeasyPrint needs:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PKGS); \
	  else \
	    echo "viva's PDF packets need Pango and a font; missing:$$missing"; \
	    echo "  Debian/Ubuntu: sudo apt-get install $(APT_PKGS)"; \
	    echo "  Fedora: sudo dnf install pango dejavu-sans-fonts   macOS: brew install pango"; \
	    exit 1; \
	  fi; \
	fi

# Spoken rehearsals record through PortAudio (libportaudio2). The tests record
# for real: a PulseAudio server with a null sink whose monitor is the input
# (tests/speech/conftest.py starts it), speech from flite played into it with
# paplay, and ALSA's pulse plugin between PortAudio and the server.
AUDIO_PKGS := libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins flite

audiodeps:
	@missing=""; \
	/sbin/ldconfig -p 2>/dev/null | grep -q libportaudio.so.2 || missing="$$missing libportaudio2"; \
	for cmd in pulseaudio pactl paplay flite; do \
	  command -v $$cmd >/dev/null || missing="$$missing $$cmd"; \
	done; \
	ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so >/dev/null 2>&1 || missing="$$missing alsa-pulse-plugin"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing what the recording tests need:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(AUDIO_PKGS); \
	  else \
	    echo "the recording tests need:$$missing (Debian/Ubuntu: sudo apt-get install $(AUDIO_PKGS))"; \
	  fi; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	@touch $(VENV)/.installed $@

run: sysdeps $(VENV)/.installed
	$(BIN)/viva rehearse $(TRACK)

# ruff, and the layer contracts of pyproject.toml's [tool.importlinter]
lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs
	$(BIN)/lint-imports --no-cache

types: $(VENV)/.installed-test
	$(BIN)/mypy --strict src tests

# The whole suite with coverage; the ten slowest tests are listed at the end.
unit: sysdeps audiodeps $(VENV)/.installed-test
	$(PYTEST) --cov=viva --cov-report=term --cov-fail-under=85 --durations=10

# The tests not marked slow, without coverage, on every core: the inner loop.
fast: sysdeps audiodeps $(VENV)/.installed-test
	$(PYTEST) -m "not slow" -q -n auto --durations=5

test: lint types unit

check: lint types fast

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/suite.py

# The package-level import graph, in layer order, and any module cycle.
imports: $(VENV)/.installed-test
	$(BIN)/python docs/imports.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .coverage
