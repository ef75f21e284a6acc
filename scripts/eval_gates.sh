#!/usr/bin/env bash
# CI eval gates: every run below must not regress against evals/baselines/NAME.json.
#   scripts/eval_gates.sh check      score each run, exit 1 on any regression (make test runs this)
#   scripts/eval_gates.sh baseline   rescore and overwrite the baselines (commit them afterwards)
# Reports (metrics.json, per_doc.jsonl, report.html) land in reports/NAME/.
# Every gate also caps hallucination_rate (the independent printed check, llmx/evaluate/printed.py),
# and the free-mode step checks that this gate does fail when a model invents values.
set -euo pipefail
cd "$(dirname "$0")/.."

LLMX=${LLMX:-.venv/bin/llmx}
PYTHON=${PYTHON:-.venv/bin/python}
SHARED_GOLD=${SHARED_GOLD:-../shared/evals/press_releases}
CORPUS_GOLD=evals/corpus
# The embedded model takes ~10 s per document on 2 cores: CI scores it on the first N documents.
# --labels fallback makes the model label the amounts the rules are unsure of, so the model is
# really exercised (with the default policy the rules label everything and the model is skipped).
# One document at a time keeps the order, and so llama.cpp's prompt-prefix reuse, deterministic.
# --no-cache: a cached answer would make the gate measure the cache, not the model and the code.
LOCAL_EVAL_DOCS=${LOCAL_EVAL_DOCS:-8}
LOCAL_OPTS="--backend local --labels fallback --limit $LOCAL_EVAL_DOCS --concurrency 1 --no-cache"
# Allowed drop per metric vs the baseline. The rules backend is deterministic: nothing may drop
# (document counts never may, whatever the tolerance; see llmx/evaluate/gate.py). The local
# model's tolerance comes from its run-to-run variance: two uncached runs a day apart agreed on every
# gated metric (docs/evaluation.md), so 0 too; raise LOCAL_MAX_DROP if a llama.cpp update makes them differ.
RULES_MAX_DROP=${RULES_MAX_DROP:-0}
LOCAL_MAX_DROP=${LOCAL_MAX_DROP:-0}

# name|gold|options|max drop|hallucination_rate ceiling
RUNS=(
  "own-rules|evals/press_releases|--backend rules|$RULES_MAX_DROP|0"
  "own-local|evals/press_releases|$LOCAL_OPTS|$LOCAL_MAX_DROP|0"
  "shared-rules|$SHARED_GOLD|--backend rules|$RULES_MAX_DROP|0"
  "shared-local|$SHARED_GOLD|$LOCAL_OPTS|$LOCAL_MAX_DROP|0"
  # 46 real releases annotated for llmx; their texts stay in ../shared/corpus (evals/corpus/docs_dir.txt).
  # 4 of its 314 rules amounts (365 items with tickers) are not printed (recognizer errors, listed in docs/evaluation.md):
  # the ceiling admits exactly those, and the baseline (max drop 0) fails on any further one.
  "corpus-rules|$CORPUS_GOLD|--backend rules|$RULES_MAX_DROP|0.011"
)
# RUNS_ONLY="own-rules corpus-rules" runs only those (the free-mode step runs when "free-mode" is listed).
RUNS_ONLY=${RUNS_ONLY:-}

selected() { [ -z "$RUNS_ONLY" ] || [[ " $RUNS_ONLY " == *" $1 "* ]]; }

action=${1:-check}
case "$action" in check|baseline) ;; *) echo "usage: $0 check|baseline" >&2; exit 2 ;; esac
mkdir -p evals/baselines reports
for run in "${RUNS[@]}"; do
  IFS='|' read -r name gold opts max_drop ceiling <<< "$run"
  selected "$name" || continue
  if [ ! -d "$gold" ] || { [ -f "$gold/docs_dir.txt" ] && [ ! -d "$gold/$(cat "$gold/docs_dir.txt")" ]; }; then
    echo "skip $name: $gold not found"
    continue
  fi
  echo "== eval $name: $gold $opts (max drop $max_drop)"
  # shellcheck disable=SC2086  # opts is a list of options
  case "$action" in
    check)
      "$LLMX" eval "$gold" $opts --report "reports/$name" \
        --baseline "evals/baselines/$name.json" --max-drop "$max_drop" --fail-over "hallucination_rate=$ceiling" ;;
    baseline)
      "$LLMX" eval "$gold" $opts --report "reports/$name" --fail-over "hallucination_rate=$ceiling"
      cp "reports/$name/metrics.json" "evals/baselines/$name.json" ;;
  esac
done

# Free mode, where the model writes the values: the loopback server answers the own set honestly,
# then with invented values. The inventing run must be caught by --fail-over hallucination_rate=0
# (the script exits 1 if it is not, or if an honest run is flagged). Nothing to baseline.
if selected free-mode && [ "$action" = check ]; then
  echo "== free-mode hallucination gate: evals/press_releases (loopback server)"
  "$PYTHON" scripts/free_mode_gate.py evals/press_releases --reports reports/free-mode
fi
