# Two commands do everything on a fresh machine:
#   make run   - install the core (no compiler, wheels only), then extract the sample press
#                release with the offline default (the rules backend needs no model)
#   make test  - install everything (the local and server extras build llama-cpp-python), then
#                run the whole test suite, the eval gates and the mutation probes (CI runs this via .ci/run)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.llmx-installed
CORE_STAMP := $(VENV)/.llmx-core
SAMPLE ?= examples/sample_press_release.txt

# llama-cpp-python (the local and server extras) is built from source. ggml's native build crashes on these machines
# (AMX matmul / illegal instruction), so pin a portable CPU build. See DEVELOPERS.md.
export CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_OPENMP=OFF
export FORCE_CMAKE := 1
LLAMA_REQ := llama-cpp-python>=0.3.16,<0.4

.PHONY: install install-core run test eval-gates mutants baselines bench clean

install: $(STAMP)
install-core: $(CORE_STAMP)

# What the offline default needs: pure-Python packages and wheels only.
$(CORE_STAMP): pyproject.toml Makefile
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

# Everything: the embedded model runtime (compiled), its OpenAI-compatible server, test tools.
$(STAMP): $(CORE_STAMP)
	$(PIP) install --no-cache-dir "$(LLAMA_REQ)"
	# A wheel cached from a native build would crash; rebuild it portable if so.
	$(PY) scripts/check_llama_build.py || $(PIP) install --no-cache-dir --force-reinstall --no-deps "$(LLAMA_REQ)"
	$(PY) scripts/check_llama_build.py
	$(PIP) install -e ".[local,server,dev,ray]"
	touch $@

run: install-core
	$(VENV)/bin/llmx extract $(SAMPLE)

test: install
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory eval-gates
	$(MAKE) --no-print-directory mutants

# Eval gates: rules and embedded-model runs on both eval sets vs committed baselines.
eval-gates: install
	scripts/eval_gates.sh check

# Mutation probes: every bug planted in a copy of the tree (scripts/mutate.py, 30 mutants of the
# recognizers, validator, gates, hallucination check, options, backend policy, resume, Batch API
# and workers) must be caught by its test or gate; a survivor, a stale snippet or a timeout fails.
# About 3 min of CPU (docs/evaluation.md).
mutants: install
	$(PY) scripts/mutate.py

# After an intended quality change: regenerate evals/baselines/ and commit them.
baselines: install
	scripts/eval_gates.sh baseline

bench: install
	@set -e; for script in benchmarks/bench_*.py; do echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache reports
